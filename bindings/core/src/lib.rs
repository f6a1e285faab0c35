//! What the Python package and the C ABI share, so that both are thin wrappers over the same
//! job API as the CLI:
//! - [`Options`]: the options both take, parsed from the CLI's spellings (`"bracket"`, `"half"`).
//! - [`read_path`]: a file (or `-`) through [`epgdump::job::dump`], exactly as the CLI reads it.
//! - [`PushReader`]: bytes pushed in any chunking (a buffer, a file-like object, a live pipe)
//!   through [`TsReader::push`], with the job's stops: `until_complete`, and the give-up after
//!   [`NOT_TS_PROBE`] bytes without a packet lock.
//! - [`Guide`]: the result, judged by [`Outcome`]'s own rules (failure lines, incomplete and
//!   capped notes, the exit status), and written by the CLI's writers.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
#![deny(unsafe_code)]

use epgdump::epg::{Collector, CollectorOptions, Epg, Service};
use epgdump::error::Error;
use epgdump::job::{dump, DumpOptions, ExitStatus, InputReport, Outcome, Stop, NOT_TS_PROBE};
use epgdump::output::{channel_id, ChannelIdStyle, OutputOptions};
use epgdump::reader::TsReader;
use epgdump::stats::Stats;
use epgdump::text::{SymbolStyle, TextOptions, Width};
use epgdump::ts::PidSet;
use serde::Serialize;
use std::io;
use std::path::{Path, PathBuf};

/// Bytes handed to the reader at a time, so `until_complete` is checked as often as the job
/// checks it.
const PUSH_CHUNK: usize = 1 << 20;

/// A bad option value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// `symbols` is neither `unicode` nor `bracket`.
    #[error("symbols must be \"unicode\" or \"bracket\", not {0:?}")]
    Symbols(String),
    /// `width` is none of `as-broadcast`, `half`, `full`.
    #[error("width must be \"as-broadcast\", \"half\" or \"full\", not {0:?}")]
    Width(String),
}

/// The options of the bindings: the CLI's `--until-complete`, `--symbols`, `--width` and
/// `--services`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Stop reading as soon as every announced schedule is complete.
    pub until_complete: bool,
    /// ARIB additional symbols as characters or as bracket text.
    pub symbols: SymbolStyle,
    /// Width of alphanumerics.
    pub width: Width,
    /// Only these service_ids (all when `None`), in the guide's services, events and writers.
    pub services: Option<Vec<u16>>,
}

/// `"unicode"` or `"bracket"`, as `--symbols`.
///
/// # Errors
/// [`OptionError::Symbols`] for anything else.
pub fn parse_symbols(s: &str) -> Result<SymbolStyle, OptionError> {
    match s {
        "unicode" => Ok(SymbolStyle::Unicode),
        "bracket" => Ok(SymbolStyle::Bracket),
        _ => Err(OptionError::Symbols(s.to_owned())),
    }
}

/// `"as-broadcast"`, `"half"` or `"full"`, as `--width`.
///
/// # Errors
/// [`OptionError::Width`] for anything else.
pub fn parse_width(s: &str) -> Result<Width, OptionError> {
    match s {
        "as-broadcast" => Ok(Width::AsBroadcast),
        "half" => Ok(Width::Half),
        "full" => Ok(Width::Full),
        _ => Err(OptionError::Width(s.to_owned())),
    }
}

impl Options {
    fn collector(&self) -> CollectorOptions {
        CollectorOptions {
            text: TextOptions {
                symbols: self.symbols,
                width: self.width,
            },
            ..CollectorOptions::default()
        }
    }

    fn output(&self) -> OutputOptions {
        OutputOptions {
            services: self.services.clone(),
            ..OutputOptions::default()
        }
    }
}

/// Reads a file (`-` for stdin) with [`epgdump::job::dump`], as the CLI reads one input.
///
/// # Errors
/// The input's error when nothing of it could be read (missing, unreadable, not a transport
/// stream). A failure after some data (a read error, lost sync) is not an error: the guide keeps
/// what was read and says so in [`Guide::warnings`].
pub fn read_path(path: &Path, opts: &Options) -> Result<Guide, Error> {
    let dump_opts = DumpOptions {
        collector: opts.collector(),
        until_complete: opts.until_complete,
        ..DumpOptions::default()
    };
    let outcome = dump(&[path.to_path_buf()], &dump_opts, &mut |_| {});
    Guide::judge(outcome, opts.output())
}

/// Why a [`PushReader`] stopped reading before its input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Halt {
    /// `until_complete`: every announced schedule is complete.
    Complete,
    /// A block of [`NOT_TS_PROBE`] bytes without a packet lock and no section before it.
    NotTs,
    /// The same after some sections, from this byte on.
    LostSync(u64),
}

/// Bytes pushed in any chunking into one guide: the CLI's push core with the job's stops.
pub struct PushReader {
    reader: TsReader<Collector>,
    opts: Options,
    bytes: u64,
    block_packets: u64,
    halt: Option<Halt>,
}

impl PushReader {
    /// A reader of the EPG PIDs with these options.
    pub fn new(opts: Options) -> Self {
        PushReader {
            reader: TsReader::with_pids(Collector::new(opts.collector()), &PidSet::epg()),
            opts,
            bytes: 0,
            block_packets: 0,
            halt: None,
        }
    }

    /// Feeds the next chunk (any size, cut anywhere). Returns `false` when the reader has
    /// stopped reading (`until_complete` reached, or the input is given up for lack of packets)
    /// and the chunk was ignored.
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        if self.halt.is_some() {
            return false;
        }
        for piece in chunk.chunks(PUSH_CHUNK) {
            let before = self.bytes;
            self.reader.push(piece);
            self.bytes += piece.len() as u64;
            if before / NOT_TS_PROBE != self.bytes / NOT_TS_PROBE {
                // The job's rule: a block of NOT_TS_PROBE bytes needs 1 % of packets.
                let packets = self.reader.packets();
                let in_block = packets - self.block_packets;
                self.block_packets = packets;
                if in_block.saturating_mul(188) < NOT_TS_PROBE / 100 {
                    self.halt = Some(if self.reader.stats().sections.ok == 0 {
                        Halt::NotTs
                    } else {
                        Halt::LostSync(self.bytes / NOT_TS_PROBE * NOT_TS_PROBE - NOT_TS_PROBE)
                    });
                    return true;
                }
            }
            if self.opts.until_complete && self.reader.sink().is_complete() {
                self.halt = Some(Halt::Complete);
                return true;
            }
        }
        true
    }

    /// Whether every schedule announced so far is complete (false before any is announced).
    pub fn is_complete(&self) -> bool {
        self.reader.sink().is_complete()
    }

    /// Whether the reader stopped reading (further pushes are ignored).
    pub fn stopped(&self) -> bool {
        self.halt.is_some()
    }

    /// Ends the input and returns the guide. `name` names the input in messages (`<bytes>`).
    ///
    /// # Errors
    /// [`Error::NotTransportStream`] when no transport packet was found.
    pub fn finish(self, name: &str) -> Result<Guide, Error> {
        let path = PathBuf::from(name);
        let (collector, reader_stats) = match self.halt {
            None => self.reader.finish(),
            Some(_) => self.reader.finish_early(),
        };
        let mut error = match self.halt {
            Some(Halt::LostSync(from)) => Some(Error::LostSync {
                path: path.clone(),
                from,
                bytes: NOT_TS_PROBE,
            }),
            _ => None,
        };
        if matches!(self.halt, Some(Halt::NotTs)) || reader_stats.packets == 0 {
            error = Some(Error::NotTransportStream {
                path: path.clone(),
                bytes: reader_stats.bytes,
            });
        }
        let stop = match (&error, self.halt) {
            (Some(_), _) => None,
            (None, Some(Halt::Complete)) => Some(Stop::Complete),
            (None, _) => Some(Stop::End),
        };
        let mut stats = Stats::default();
        stats.merge(&reader_stats);
        let complete = collector.is_complete();
        let epg = collector.finish(&mut stats);
        let outcome = Outcome {
            epg,
            stats,
            inputs: vec![InputReport {
                path,
                position: 0,
                first_clock: None,
                bytes: reader_stats.bytes,
                packets: reader_stats.packets,
                stop,
                error,
                // Pushed bytes are read as they come, never in parts.
                read_ranges: Vec::new(),
            }],
            complete,
            until_complete: self.opts.until_complete,
        };
        Guide::judge(outcome, self.opts.output())
    }
}

/// A service as the bindings list it: its ids, the channel id of the JSON Lines events, and the
/// SDT's name, provider and service_type.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceInfo<'a> {
    /// original_network_id.
    pub onid: u16,
    /// transport_stream_id.
    pub tsid: u16,
    /// service_id.
    pub sid: u16,
    /// The channel id, as in the JSON Lines `channel` key (epgdump's `BS_101`).
    pub channel: String,
    /// service_name (empty when no SDT named it).
    pub name: &'a str,
    /// service_provider_name.
    pub provider: &'a str,
    /// service_type (1 digital TV, 2 radio, 0xC0 data …), `null` when no SDT gave it.
    #[serde(rename = "type")]
    pub service_type: Option<u8>,
    /// Events of the service in the guide.
    pub events: usize,
}

/// The guide of one read: the model, the counters, and the judgement the CLI would make.
#[derive(Debug)]
pub struct Guide {
    /// The model.
    pub epg: Epg,
    /// The counters (the `--stats=json` keys); `output` counts the JSON Lines events.
    pub stats: Stats,
    /// Whether every announced schedule was complete at the end.
    pub complete: bool,
    /// The lines the CLI prints on stderr: failed or cut inputs, an incomplete or capped guide,
    /// no EPG.
    pub warnings: Vec<String>,
    /// The CLI's exit status for this read written as JSON Lines.
    pub exit_status: ExitStatus,
    output: OutputOptions,
}

impl Guide {
    /// Judges an outcome with the job's rules.
    fn judge(mut outcome: Outcome, output: OutputOptions) -> Result<Guide, Error> {
        if !outcome.any_input_read() {
            let first = outcome.inputs.iter_mut().find_map(|r| r.error.take());
            return Err(first.unwrap_or_else(|| Error::Input {
                path: PathBuf::from("-"),
                source: io::Error::other("no input"),
            }));
        }
        let mut warnings = outcome.failure_lines();
        let selected: Vec<&Service> = selected(&outcome.epg, &output).collect();
        let programmes = selected.iter().map(|s| s.events.len() as u64).sum::<u64>();
        outcome.stats.output.channels = selected.len() as u64;
        outcome.stats.output.programmes = programmes;
        if programmes == 0 {
            warnings.push("no EPG found (no event in the selected services)".to_owned());
        }
        warnings.extend(outcome.incomplete());
        warnings.extend(outcome.capped());
        let exit_status = outcome.exit_status(Some(programmes));
        Ok(Guide {
            epg: outcome.epg,
            stats: outcome.stats,
            complete: outcome.complete,
            warnings,
            exit_status,
            output,
        })
    }

    /// The selected services, in model order.
    pub fn services(&self) -> Vec<ServiceInfo<'_>> {
        let style = ChannelIdStyle::Epgdump;
        selected(&self.epg, &self.output)
            .map(|s| ServiceInfo {
                onid: s.onid,
                tsid: s.tsid,
                sid: s.sid,
                channel: channel_id(&self.epg, s, &style),
                name: &s.name,
                provider: &s.provider,
                service_type: s.service_type,
                events: s.events.len(),
            })
            .collect()
    }

    /// The services as a JSON array of [`ServiceInfo`] objects.
    ///
    /// # Errors
    /// Only serialisation errors (none for this model).
    pub fn services_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(&self.services())
    }

    /// The counters as JSON, the `--stats=json` keys.
    ///
    /// # Errors
    /// Only serialisation errors (none for this model).
    pub fn stats_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(&self.stats)
    }

    /// JSON Lines (`--format jsonl`): one object per event, each line ending in `\n`.
    ///
    /// # Errors
    /// Only serialisation errors (none for this model).
    pub fn to_jsonl(&self) -> io::Result<String> {
        self.write_with(|epg, o, w| epgdump::output::write_jsonl(epg, o, w).map(|_| ()))
    }

    /// The events as one JSON array: the JSON Lines objects, comma-separated (one parse for a
    /// whole guide, the same keys and values).
    ///
    /// # Errors
    /// Only serialisation errors (none for this model).
    pub fn events_json_array(&self) -> io::Result<String> {
        let lines = self.to_jsonl()?;
        let mut out = String::with_capacity(lines.len() + 2);
        out.push('[');
        // JSON escapes every newline inside strings: each `\n` ends an object.
        out.push_str(&lines.trim_end_matches('\n').replace('\n', ","));
        out.push(']');
        Ok(out)
    }

    /// Piro77 epgdump's JSON (`--format json`).
    ///
    /// # Errors
    /// Only serialisation errors (none for this model).
    pub fn to_json(&self) -> io::Result<String> {
        self.write_with(|epg, o, w| epgdump::output::write_json(epg, o, w).map(|_| ()))
    }

    /// XMLTV (`--format xmltv`, the CLI's default).
    ///
    /// # Errors
    /// Only serialisation errors (none for this model).
    pub fn to_xmltv(&self) -> io::Result<String> {
        self.write_with(|epg, o, w| epgdump::output::write_xmltv(epg, o, w).map(|_| ()))
    }

    fn write_with(
        &self,
        write: impl FnOnce(&Epg, &OutputOptions, &mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<String> {
        let mut buf = Vec::new();
        write(&self.epg, &self.output, &mut buf)?;
        String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// The services `output` selects (the writers' rule: `services` keeps, `exclude_services`
/// drops).
fn selected<'a>(epg: &'a Epg, output: &'a OutputOptions) -> impl Iterator<Item = &'a Service> {
    epg.services.iter().filter(move |s| {
        output
            .services
            .as_ref()
            .map_or(true, |v| v.contains(&s.sid))
            && !output.exclude_services.contains(&s.sid)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/sample-bs.ts"
        ))
        .unwrap()
    }

    #[test]
    fn pushed_in_any_chunking_equals_the_path_read() {
        let data = sample();
        let path = read_path(
            Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../testdata/sample-bs.ts"
            )),
            &Options::default(),
        )
        .unwrap();
        for size in [1, 187, 4096, data.len()] {
            let mut r = PushReader::new(Options::default());
            for c in data.chunks(size) {
                assert!(r.push(c));
            }
            let g = r.finish("<bytes>").unwrap();
            assert_eq!(
                g.to_jsonl().unwrap(),
                path.to_jsonl().unwrap(),
                "chunks of {size}"
            );
            assert_eq!(g.exit_status, path.exit_status);
        }
        assert_eq!(path.exit_status, ExitStatus::Success);
        assert_eq!(path.to_jsonl().unwrap().lines().count(), 56);
    }

    #[test]
    fn not_a_transport_stream_is_the_clis_error() {
        let mut r = PushReader::new(Options::default());
        r.push(b"hello, this is not a transport stream");
        let e = r.finish("<bytes>").unwrap_err();
        assert!(matches!(e, Error::NotTransportStream { .. }));
        assert!(e
            .to_string()
            .starts_with("<bytes>: not an MPEG transport stream"));
    }

    #[test]
    fn events_array_parses_to_the_jsonl_objects() {
        let mut r = PushReader::new(Options::default());
        r.push(&sample());
        let g = r.finish("<bytes>").unwrap();
        let arr: Vec<serde_json::Value> =
            serde_json::from_str(&g.events_json_array().unwrap()).unwrap();
        let lines: Vec<serde_json::Value> = g
            .to_jsonl()
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(arr, lines);
    }

    #[test]
    fn services_filter_applies_everywhere() {
        let opts = Options {
            services: Some(vec![101]),
            ..Options::default()
        };
        let mut r = PushReader::new(opts);
        r.push(&sample());
        let g = r.finish("<bytes>").unwrap();
        assert!(g.services().iter().all(|s| s.sid == 101));
        assert!(!g.services().is_empty());
        assert!(g
            .to_jsonl()
            .unwrap()
            .lines()
            .all(|l| l.contains("\"sid\":101,")));
    }

    #[test]
    fn options_parse_the_cli_spellings() {
        assert_eq!(parse_symbols("bracket"), Ok(SymbolStyle::Bracket));
        assert!(parse_symbols("Bracket").is_err());
        assert_eq!(parse_width("half"), Ok(Width::Half));
        assert!(parse_width("narrow").is_err());
    }
}
