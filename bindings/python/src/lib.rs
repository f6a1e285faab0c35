//! The Python module `epgdump`: the programme guide of ISDB and DVB transport streams, read by
//! the same job API and written by the same writers as the `epgdump-rs` CLI.
//!
//! - `read(source, *, until_complete=False, symbols="unicode", width="as-broadcast",
//!   services=None) -> Guide` for a path, `bytes`/`bytearray`/`memoryview` or a binary
//!   file-like object.
//! - `Reader(**options)` for live input: `push(data)`, `is_complete()`, `finish() -> Guide`.
//! - `Guide`: `.services`, `.events` (dicts with exactly the JSON Lines keys), `.stats` (the
//!   `--stats=json` keys), `.complete`, `.warnings`, `.exit_status`, `to_xmltv()`, `to_json()`,
//!   `to_jsonl()`.
//!
//! The GIL is released while bytes are parsed and while a guide is written. Errors are Python
//! exceptions with the CLI's messages: `epgdump.NotTransportStream` (a `ValueError`) and
//! `OSError` (with its errno subclass, `FileNotFoundError` …).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

use epgdump::error::Error;
use epgdump_bindings::{parse_symbols, parse_width, Guide as CoreGuide, Options, PushReader};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};
use std::path::PathBuf;

pyo3::create_exception!(
    epgdump,
    NotTransportStream,
    PyValueError,
    "The input holds no MPEG transport stream packets (no 188/192/204-byte sync)."
);

/// Bytes read from a file-like object at a time, and the largest piece of a `memoryview`
/// copied at once.
const READ_CHUNK: usize = 1 << 20;

/// The exception for a fatal error, with the CLI's message.
fn py_error(e: Error) -> PyErr {
    let message = e.to_string();
    match &e {
        Error::NotTransportStream { .. } => NotTransportStream::new_err(message),
        Error::Input { source, .. } => match source.raw_os_error() {
            // OSError(errno, message) becomes FileNotFoundError, PermissionError …
            Some(errno) => PyOSError::new_err((errno, message)),
            None => PyOSError::new_err(message),
        },
        _ => PyOSError::new_err(message),
    }
}

/// The options, checked before anything is read.
fn options(
    until_complete: bool,
    symbols: &str,
    width: &str,
    services: Option<&Bound<'_, PyAny>>,
) -> PyResult<Options> {
    let services = match services {
        None => None,
        Some(s) if s.is_none() => None,
        Some(s) if s.is_instance_of::<PyString>() || s.is_instance_of::<PyBytes>() => {
            return Err(PyTypeError::new_err(
                "services must be an iterable of service_ids (ints), not a string",
            ))
        }
        Some(s) => Some(
            s.try_iter()?
                .map(|sid| sid?.extract::<u16>())
                .collect::<PyResult<Vec<u16>>>()?,
        ),
    };
    Ok(Options {
        until_complete,
        symbols: parse_symbols(symbols).map_err(|e| PyValueError::new_err(e.to_string()))?,
        width: parse_width(width).map_err(|e| PyValueError::new_err(e.to_string()))?,
        services,
    })
}

/// JSON text to Python objects with the standard `json` module.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// A string from a writer, written with the GIL released.
fn written(
    py: Python<'_>,
    guide: &CoreGuide,
    write: impl FnOnce(&CoreGuide) -> std::io::Result<String> + Send,
) -> PyResult<String> {
    py.detach(|| write(guide))
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// The programme guide of a read.
#[pyclass(module = "epgdump", frozen)]
struct Guide {
    inner: CoreGuide,
    events: PyOnceLock<Py<PyList>>,
}

impl Guide {
    fn new(inner: CoreGuide) -> Self {
        Guide {
            inner,
            events: PyOnceLock::new(),
        }
    }
}

#[pymethods]
impl Guide {
    /// The services (channels): dicts with `onid`, `tsid`, `sid`, `channel`, `name`,
    /// `provider`, `type` and `events` (how many).
    #[getter]
    fn services<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self
            .inner
            .services_json()
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        loads(py, &json)
    }

    /// The events: one dict per event with exactly the keys of `epgdump-rs --format jsonl`.
    /// Built once; the same list is returned each time.
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = self
            .events
            .get_or_try_init(py, || -> PyResult<Py<PyList>> {
                let json = written(py, &self.inner, CoreGuide::events_json_array)?;
                Ok(loads(py, &json)?.cast_into::<PyList>()?.unbind())
            })?;
        Ok(list.bind(py).clone())
    }

    /// The counters: a dict with the keys of `epgdump-rs --stats=json`.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self
            .inner
            .stats_json()
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        loads(py, &json)
    }

    /// Whether every announced EIT schedule was complete at the end of the input.
    #[getter]
    fn complete(&self) -> bool {
        self.inner.complete
    }

    /// The lines the CLI would print on stderr: an input cut short, an incomplete or capped
    /// guide, no EPG. Empty when all is well.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// The CLI's exit status for this read written as JSON Lines (0 success, 3 no EPG, 5 the
    /// input was cut short, 6 incomplete or capped).
    #[getter]
    fn exit_status(&self) -> u8 {
        self.inner.exit_status.code()
    }

    /// XMLTV, as `epgdump-rs --format xmltv`.
    fn to_xmltv(&self, py: Python<'_>) -> PyResult<String> {
        written(py, &self.inner, CoreGuide::to_xmltv)
    }

    /// Piro77 epgdump's JSON, as `epgdump-rs --format json`.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        written(py, &self.inner, CoreGuide::to_json)
    }

    /// JSON Lines, as `epgdump-rs --format jsonl`.
    fn to_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        written(py, &self.inner, CoreGuide::to_jsonl)
    }

    fn __repr__(&self) -> String {
        let services = self.inner.services();
        let events: usize = services.iter().map(|s| s.events).sum();
        format!(
            "<epgdump.Guide: {} services, {events} events, {}>",
            services.len(),
            if self.inner.complete {
                "complete"
            } else {
                "not complete"
            }
        )
    }
}

/// Live input: bytes pushed in any chunking, the same guide as one read of them.
#[pyclass(module = "epgdump")]
struct Reader {
    inner: Option<PushReader>,
}

impl Reader {
    fn reader(&mut self) -> PyResult<&mut PushReader> {
        self.inner
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("the Reader is finished"))
    }

    /// Pushes any bytes-like object, with the GIL released while it is parsed.
    fn push_any(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<bool> {
        let reader = self.reader()?;
        if let Ok(bytes) = data.cast::<PyBytes>() {
            let bytes = bytes.as_bytes();
            return Ok(py.detach(|| reader.push(bytes)));
        }
        if let Ok(array) = data.cast::<PyByteArray>() {
            let copy = array.to_vec();
            return Ok(py.detach(|| reader.push(&copy)));
        }
        if data.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "expected bytes, bytearray or memoryview, not str",
            ));
        }
        // Any other buffer: its bytes, a piece at a time.
        let builtins = py.import("builtins")?;
        let view = builtins.getattr("memoryview")?.call1((data,))?;
        let view = if view.getattr("format")?.extract::<String>()? == "B"
            && view.getattr("ndim")?.extract::<usize>()? == 1
        {
            view
        } else {
            view.call_method1("cast", ("B",))?
        };
        let len = view.len()?;
        let mut at = 0;
        while at < len {
            let end = len.min(at + READ_CHUNK);
            let piece =
                view.get_item(pyo3::types::PySlice::new(py, at as isize, end as isize, 1))?;
            let piece = piece.call_method0("tobytes")?;
            let piece = piece.cast::<PyBytes>()?.as_bytes();
            if !py.detach(|| reader.push(piece)) {
                return Ok(false);
            }
            at = end;
        }
        Ok(true)
    }

    fn finish_named(&mut self, py: Python<'_>, name: &str) -> PyResult<Guide> {
        let reader = self
            .inner
            .take()
            .ok_or_else(|| PyValueError::new_err("the Reader is finished"))?;
        let guide = py.detach(|| reader.finish(name)).map_err(py_error)?;
        Ok(Guide::new(guide))
    }
}

#[pymethods]
impl Reader {
    /// A reader with the options of `read`.
    #[new]
    #[pyo3(signature = (*, until_complete=false, symbols="unicode", width="as-broadcast", services=None))]
    fn new(
        until_complete: bool,
        symbols: &str,
        width: &str,
        services: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(Reader {
            inner: Some(PushReader::new(options(
                until_complete,
                symbols,
                width,
                services,
            )?)),
        })
    }

    /// Feeds the next chunk (`bytes`, `bytearray`, `memoryview`; any size, cut anywhere).
    /// Returns False when the reader has stopped reading (with `until_complete`, every
    /// schedule is complete; or 64 MiB came without a transport packet) and ignored the data.
    fn push(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.push_any(py, data)
    }

    /// Whether every EIT schedule announced so far is complete.
    fn is_complete(&mut self) -> PyResult<bool> {
        Ok(self.reader()?.is_complete())
    }

    /// Ends the input and returns the guide; the reader cannot be used afterwards.
    /// Raises NotTransportStream when no transport packet was pushed.
    fn finish(&mut self, py: Python<'_>) -> PyResult<Guide> {
        self.finish_named(py, "<stream>")
    }
}

/// Reads a whole source into a guide; see the module docs.
#[pyfunction]
#[pyo3(signature = (source, *, until_complete=false, symbols="unicode", width="as-broadcast", services=None))]
fn read(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    until_complete: bool,
    symbols: &str,
    width: &str,
    services: Option<&Bound<'_, PyAny>>,
) -> PyResult<Guide> {
    let opts = options(until_complete, symbols, width, services)?;
    // A path: str or os.PathLike (what os.fspath accepts), but not bytes, which is data.
    let is_path = source.is_instance_of::<PyString>() || source.hasattr("__fspath__")?;
    if is_path {
        let path: PathBuf = source.extract()?;
        let guide = py
            .detach(|| epgdump_bindings::read_path(&path, &opts))
            .map_err(py_error)?;
        return Ok(Guide::new(guide));
    }
    let mut reader = Reader {
        inner: Some(PushReader::new(opts)),
    };
    if source.hasattr("read")? {
        let name = source
            .getattr("name")
            .ok()
            .and_then(|n| n.extract::<String>().ok())
            .unwrap_or_else(|| "<stream>".to_owned());
        loop {
            let chunk = source.call_method1("read", (READ_CHUNK,))?;
            if chunk.is_none() {
                return Err(pyo3::exceptions::PyBlockingIOError::new_err(
                    "the file-like object is non-blocking and has no data now; \
                     push what arrives to an epgdump.Reader instead",
                ));
            }
            if chunk.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(
                    "the file-like object returned str: open it in binary mode ('rb')",
                ));
            }
            if chunk.len()? == 0 {
                break;
            }
            if !reader.push_any(py, &chunk)? {
                break;
            }
        }
        return reader.finish_named(py, &name);
    }
    // Any object with the buffer protocol (bytes, bytearray, memoryview, mmap, array …).
    let is_buffer = source.is_instance_of::<PyBytes>()
        || source.is_instance_of::<PyByteArray>()
        || py
            .import("builtins")?
            .getattr("memoryview")?
            .call1((source,))
            .is_ok();
    if is_buffer {
        reader.push_any(py, source)?;
        return reader.finish_named(py, "<bytes>");
    }
    Err(PyTypeError::new_err(format!(
        "read() takes a path, bytes, bytearray, memoryview or a binary file-like object, not {}",
        source.get_type().name()?
    )))
}

/// The module.
#[pymodule]
#[pyo3(name = "epgdump")]
fn epgdump_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_class::<Reader>()?;
    m.add_class::<Guide>()?;
    m.add(
        "NotTransportStream",
        m.py().get_type::<NotTransportStream>(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
