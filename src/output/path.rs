//! Where the guide goes: the output-path rules, so that writing a guide never destroys what is
//! not ours.
//!
//! [`OutputPath::resolve`] looks at the path before anything is read:
//! - `-`, `/dev/stdout` (and `/dev/fd/1`, `/proc/self/fd/1`) is standard output, written
//!   through the descriptor itself; `/dev/stderr` likewise. A closed standard output is an
//!   output error, not a guide silently thrown away ([`guard_standard_streams`]).
//! - A symbolic link is followed to its final target, also when that target does not exist yet
//!   (a dangling link): the target is what gets written, and the link stays a link.
//! - A regular file, or a path that does not exist, is **replaced atomically**: the guide is
//!   written to a temporary file `.NAME.tmp-PID` in the target's directory, which is synced,
//!   given the old file's mode and (where the process may set them) its owner and group,
//!   renamed over the target, and the directory is synced. A failed or interrupted run leaves the
//!   previous guide untouched and no temporary file behind: temporary files are removed on error
//!   and, by the signal thread of [`crate::job::process`], on SIGINT, SIGTERM and SIGHUP. Stale
//!   temporary files of processes that no longer run are removed, and never block a run.
//! - A character device (`/dev/null`), a FIFO or a `/dev/fd/N` path is opened and written
//!   directly, as `cat > PATH` would: a device node is never replaced by a file. A FIFO waits
//!   up to [`FIFO_READER_WAIT`] for a reader, instead of hanging.
//! - A directory, a socket and a block device are refused (a guide written over a disk would
//!   destroy it).
//!
//! [`OutputPath::refuse_inputs`] refuses an input that is the output file itself (same device and
//! inode, through any link or hard link), before anything is read.

use crate::error::Error;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long writing to a FIFO waits for a process to open it for reading.
pub const FIFO_READER_WAIT: Duration = Duration::from_secs(60);

/// Symbolic links followed at most (as the kernel's own limit, `ELOOP`).
const MAX_LINKS: usize = 40;

/// Temporary files being written, removed by [`remove_temp_files`] (on a signal). Holding the
/// lock while a temporary file is created or renamed means a signal never races either.
static TEMP_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Whether standard output was closed when [`guard_standard_streams`] ran.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

fn temp_files() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner())
}

/// The registry of temporary files, locked: while it is held no temporary file is created or
/// renamed.
#[must_use = "the registry is unlocked when this is dropped"]
pub struct HeldTempFiles(#[allow(dead_code)] MutexGuard<'static, Vec<PathBuf>>);

/// Removes every temporary output file still being written, and keeps the registry locked while
/// the returned value lives, so no other is created or renamed: for a signal handler that then
/// ends the process.
pub fn remove_temp_files_and_hold() -> HeldTempFiles {
    let mut files = temp_files();
    for p in files.drain(..) {
        let _ = fs::remove_file(p);
    }
    HeldTempFiles(files)
}

/// Finds out whether standard output was closed when the process started (`>&-`), so that
/// writing the guide to `-` then fails with an output error instead of vanishing. Call it first
/// thing in `main`.
///
/// Rust's runtime opens `/dev/null` read-write on any of the descriptors 0–2 that is closed
/// before `main` runs, so that no file opened later can become one of them (an input read as
/// "standard output", messages for standard error written into the guide). A closed standard
/// output is therefore recognised as `/dev/null` opened read-write (shells open a `>` redirection
/// write-only), read from `/proc/self/fdinfo/1`; elsewhere a closed descriptor still shows as
/// `EBADF`.
pub fn guard_standard_streams() {
    guard_standard_streams_known(None);
}

/// As [`guard_standard_streams`], with what the caller found out before Rust's runtime started
/// (`Some(closed)`: a binary can ask the kernel about descriptor 1 in an ELF constructor, which
/// runs before the runtime reopens it). That answer is exact: a process handed `/dev/null`
/// read-write on purpose (Python's `subprocess.DEVNULL`, daemons) is not mistaken for one with
/// standard output closed. `None` falls back to the `/dev/null`-read-write reading.
pub fn guard_standard_streams_known(stdout_closed_at_start: Option<bool>) {
    if let Some(closed) = stdout_closed_at_start {
        STDOUT_CLOSED.store(closed, Ordering::Relaxed);
        return;
    }
    let closed = match io::stdout().as_fd().try_clone_to_owned() {
        Err(_) => true,
        Ok(fd) => {
            let file = File::from(fd);
            let is_null = match (file.metadata(), fs::metadata("/dev/null")) {
                (Ok(a), Ok(b)) => a.file_type().is_char_device() && a.rdev() == b.rdev(),
                _ => false,
            };
            is_null && fd_access_mode(1) == Some(libc::O_RDWR)
        }
    };
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
}

/// The access mode (`O_RDONLY`, `O_WRONLY`, `O_RDWR`) descriptor `fd` was opened with, from
/// `/proc/self/fdinfo` (Linux).
fn fd_access_mode(fd: u32) -> Option<i32> {
    let info = fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).ok()?;
    let flags = info
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|v| i32::from_str_radix(v.trim(), 8).ok())?;
    Some(flags & libc::O_ACCMODE)
}

/// Where the guide is written, as decided by [`OutputPath::resolve`].
#[derive(Debug)]
pub struct OutputPath {
    given: PathBuf,
    target: Target,
}

#[derive(Debug)]
enum Target {
    /// Standard output or error, written through the descriptor.
    Stdio { fd: u8 },
    /// A device, FIFO or descriptor path, opened and written directly.
    Direct { path: PathBuf, fifo: bool },
    /// A regular file (or none yet) at `path`, the final target of any links: replaced.
    Replace {
        path: PathBuf,
        existing: Option<Metadata>,
    },
}

/// What [`OutputPath::write`] did besides writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written<T> {
    /// What the writer returned.
    pub value: T,
    /// `false` when a replaced file's owner or group could not be kept (the process may not
    /// set them); its mode is always kept.
    pub owner_kept: bool,
}

/// A path of the form `/dev/fd/N`, `/proc/self/fd/N`, `/proc/thread-self/fd/N` or
/// `/proc/<our pid>/fd/N`, `/dev/stdout`, `/dev/stderr`: the descriptor number.
fn descriptor_path(p: &Path) -> Option<u32> {
    let s = p.to_str()?;
    match s {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let pid = std::process::id().to_string();
    let rest = s
        .strip_prefix("/dev/fd/")
        .or_else(|| s.strip_prefix("/proc/self/fd/"))
        .or_else(|| s.strip_prefix("/proc/thread-self/fd/"))
        .or_else(|| {
            s.strip_prefix("/proc/")
                .and_then(|r| r.strip_prefix(pid.as_str()))
                .and_then(|r| r.strip_prefix("/fd/"))
        })?;
    rest.parse().ok()
}

/// The end of a chain of symbolic links.
enum Resolved {
    Descriptor(u32, PathBuf),
    Exists(PathBuf, Metadata),
    Missing(PathBuf),
}

fn resolve_links(path: &Path) -> io::Result<Resolved> {
    let mut p = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        if let Some(fd) = descriptor_path(&p) {
            return Ok(Resolved::Descriptor(fd, p));
        }
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let t = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if t.is_relative() => dir.join(t),
                    _ => t,
                };
            }
            Ok(m) => return Ok(Resolved::Exists(p, m)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Resolved::Missing(p)),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The directory holding `path` (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// (device, inode) of a file, unless it is a character device (a terminal or `/dev/null` may
/// well be both input and output).
fn identity(m: &Metadata) -> Option<(u64, u64)> {
    (!m.file_type().is_char_device()).then(|| (m.dev(), m.ino()))
}

/// The metadata of an open standard descriptor.
fn stdio_metadata(fd: u8) -> Option<Metadata> {
    let owned = match fd {
        0 => io::stdin().as_fd().try_clone_to_owned(),
        1 => io::stdout().as_fd().try_clone_to_owned(),
        _ => io::stderr().as_fd().try_clone_to_owned(),
    }
    .ok()?;
    File::from(owned).metadata().ok()
}

impl OutputPath {
    /// Decides how `path` is written (see the module docs); `-` is standard output.
    ///
    /// # Errors
    /// [`Error::Output`] when the output can never be written: a directory, a socket, a block
    /// device, a directory that does not exist, a loop of links, or a closed standard output.
    pub fn resolve(path: &Path) -> Result<OutputPath, Error> {
        let err = |source: io::Error| Error::Output {
            path: path.to_path_buf(),
            source,
        };
        let refuse = |what: &str| err(io::Error::other(what.to_string()));
        let target = if path.as_os_str() == "-" {
            Target::Stdio { fd: 1 }
        } else {
            match resolve_links(path).map_err(err)? {
                Resolved::Descriptor(fd @ (1 | 2), _) => Target::Stdio { fd: fd as u8 },
                Resolved::Descriptor(_, p) => Target::Direct {
                    path: p,
                    fifo: false,
                },
                Resolved::Missing(p) => {
                    let dir = parent_dir(&p);
                    if !fs::metadata(&dir).is_ok_and(|m| m.is_dir()) {
                        return Err(refuse(&format!(
                            "the directory {} does not exist",
                            dir.display()
                        )));
                    }
                    Target::Replace {
                        path: p,
                        existing: None,
                    }
                }
                Resolved::Exists(p, m) => {
                    let t = m.file_type();
                    if t.is_file() {
                        Target::Replace {
                            path: p,
                            existing: Some(m),
                        }
                    } else if t.is_char_device() || t.is_fifo() {
                        Target::Direct {
                            path: p,
                            fifo: t.is_fifo(),
                        }
                    } else if t.is_dir() {
                        return Err(refuse("it is a directory"));
                    } else if t.is_block_device() {
                        return Err(refuse(
                            "it is a block device; refusing to write a guide over it",
                        ));
                    } else {
                        return Err(refuse("it is a socket"));
                    }
                }
            }
        };
        if matches!(target, Target::Stdio { fd: 1 }) && STDOUT_CLOSED.load(Ordering::Relaxed) {
            return Err(refuse("standard output is closed"));
        }
        Ok(OutputPath {
            given: path.to_path_buf(),
            target,
        })
    }

    /// The path as given.
    pub fn given(&self) -> &Path {
        &self.given
    }

    /// The file that will be written: the final target of links, or the device; `None` for
    /// standard output and error.
    pub fn target(&self) -> Option<&Path> {
        match &self.target {
            Target::Stdio { .. } => None,
            Target::Direct { path, .. } | Target::Replace { path, .. } => Some(path),
        }
    }

    /// (device, inode) of what will be overwritten, when it exists already.
    fn identity(&self) -> Option<(u64, u64)> {
        match &self.target {
            Target::Stdio { fd } => stdio_metadata(*fd).as_ref().and_then(identity),
            Target::Direct { path, .. } => fs::metadata(path).ok().as_ref().and_then(identity),
            Target::Replace { existing, .. } => existing.as_ref().and_then(identity),
        }
    }

    /// Refuses an input that is the output file itself (same device and inode, through any
    /// link; `-` compares standard input).
    ///
    /// # Errors
    /// [`Error::SameFile`] naming the first such input and the output.
    pub fn refuse_inputs(&self, inputs: &[PathBuf]) -> Result<(), Error> {
        let Some(out) = self.identity() else {
            return Ok(());
        };
        for input in inputs {
            let m = if input.as_os_str() == "-" {
                stdio_metadata(0)
            } else {
                fs::metadata(input).ok()
            };
            if m.as_ref().and_then(identity) == Some(out) {
                return Err(Error::SameFile {
                    input: input.clone(),
                    output: self.given.clone(),
                });
            }
        }
        Ok(())
    }

    /// Writes the guide with `write`, following the rules of the module docs.
    ///
    /// # Errors
    /// [`Error::Output`] for any failure to create, write, sync or rename; a replaced file is
    /// then left as it was, and no temporary file remains.
    pub fn write<T>(
        &self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<Written<T>, Error> {
        let err = |source: io::Error| Error::Output {
            path: self.given.clone(),
            source,
        };
        match &self.target {
            Target::Stdio { fd } => {
                let owned = if *fd == 1 {
                    io::stdout().as_fd().try_clone_to_owned()
                } else {
                    io::stderr().as_fd().try_clone_to_owned()
                }
                .map_err(err)?;
                let value = write_to(File::from(owned), write).map_err(err)?;
                Ok(Written {
                    value,
                    owner_kept: true,
                })
            }
            Target::Direct { path, fifo } => {
                let file = if *fifo {
                    open_fifo(path)
                } else {
                    OpenOptions::new().write(true).open(path)
                }
                .map_err(err)?;
                let value = write_to(file, write).map_err(err)?;
                Ok(Written {
                    value,
                    owner_kept: true,
                })
            }
            Target::Replace { path, existing } => {
                replace(path, existing.as_ref(), write).map_err(err)
            }
        }
    }
}

/// Writes through a buffer to `file` and flushes.
fn write_to<T>(file: File, write: impl FnOnce(&mut dyn Write) -> io::Result<T>) -> io::Result<T> {
    let mut w = BufWriter::with_capacity(1 << 16, file);
    let value = write(&mut w)?;
    w.flush()?;
    Ok(value)
}

/// Opens a FIFO for writing once a process has it open for reading, waiting up to
/// [`FIFO_READER_WAIT`].
fn open_fifo(path: &Path) -> io::Result<File> {
    let started = Instant::now();
    loop {
        // Non-blocking, the open fails with ENXIO while nobody reads (POSIX open(2)).
        match OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
        {
            Ok(probe) => {
                // A reader is there, so a blocking open returns at once; the probe keeps the
                // FIFO open meanwhile so the reader does not see an end of file.
                let file = OpenOptions::new().write(true).open(path);
                drop(probe);
                return file;
            }
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                if started.elapsed() >= FIFO_READER_WAIT {
                    return Err(io::Error::other(format!(
                        "no process opened the FIFO for reading within {} s",
                        FIFO_READER_WAIT.as_secs()
                    )));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether process `pid` is running, when that can be told (Linux `/proc`).
fn pid_alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new("/proc").join(pid.to_string()).exists())
}

/// Removes `.NAME.tmp-PID` files in `dir` left by processes that no longer run.
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id()
            && pid_alive(pid) == Some(false)
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Creates the temporary file (registered for removal on a signal). An existing file of the
/// same name can only be a stale one of an earlier process with our PID: it is replaced.
fn create_temp(tmp: &Path, mode: u32) -> io::Result<File> {
    let mut files = temp_files();
    let open = || {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(tmp)
    };
    let file = match open() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(tmp)?;
            open()?
        }
        other => other?,
    };
    files.push(tmp.to_path_buf());
    Ok(file)
}

/// Gives `file` the mode, owner and group of `old`; whether owner and group could be kept.
fn keep_metadata(file: &File, old: &Metadata) -> io::Result<bool> {
    use std::os::unix::fs::fchown;
    // Owner first: changing it clears set-user-ID bits, which the mode then restores.
    let owner_kept = fchown(file, Some(old.uid()), Some(old.gid())).is_ok()
        || (fchown(file, None, Some(old.gid())).is_ok() && old.uid() == file.metadata()?.uid());
    file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))?;
    Ok(owner_kept)
}

/// Replaces the regular file `path` (or creates it) atomically.
fn replace<T>(
    path: &Path,
    existing: Option<&Metadata>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<Written<T>> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file name"))?
        .to_string_lossy()
        .into_owned();
    remove_stale_temps(&dir, &name);
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    // A new file gets the usual 0666 less the umask; a replaced one starts private and gets the
    // old file's mode before it is renamed into place.
    let file = create_temp(&tmp, if existing.is_some() { 0o600 } else { 0o666 })?;
    let written = (|| {
        let mut w = BufWriter::with_capacity(1 << 16, file);
        let value = write(&mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        let owner_kept = match existing {
            Some(old) => keep_metadata(&file, old)?,
            None => true,
        };
        file.sync_all()?;
        Ok(Written { value, owner_kept })
    })();
    let mut files = temp_files();
    let result = written.and_then(|w| fs::rename(&tmp, path).map(|()| w));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    files.retain(|p| p != &tmp);
    drop(files);
    let written = result?;
    // The rename is durable once the directory is synced. Some file systems cannot sync a
    // directory (EINVAL); that is not a failure of the guide.
    if let Err(e) = File::open(&dir).and_then(|d| d.sync_all()) {
        if e.raw_os_error() != Some(libc::EINVAL) && e.kind() != io::ErrorKind::Unsupported {
            return Err(e);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_paths() {
        assert_eq!(descriptor_path(Path::new("/dev/stdout")), Some(1));
        assert_eq!(descriptor_path(Path::new("/proc/self/fd/1")), Some(1));
        assert_eq!(descriptor_path(Path::new("/dev/fd/3")), Some(3));
        let own = format!("/proc/{}/fd/2", std::process::id());
        assert_eq!(descriptor_path(Path::new(&own)), Some(2));
        assert_eq!(descriptor_path(Path::new("/proc/1/fd/2")), None);
        assert_eq!(descriptor_path(Path::new("/tmp/fd/1")), None);
    }

    #[test]
    fn links_are_followed_to_their_final_target() {
        let dir = std::env::temp_dir().join(format!("epgdump-path-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        std::os::unix::fs::symlink("sub/real.xml", dir.join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.join("b")).unwrap();
        let o = OutputPath::resolve(&dir.join("b")).unwrap();
        assert_eq!(o.target(), Some(dir.join("sub/real.xml").as_path()));
        std::os::unix::fs::symlink("loop2", dir.join("loop1")).unwrap();
        std::os::unix::fs::symlink("loop1", dir.join("loop2")).unwrap();
        assert!(OutputPath::resolve(&dir.join("loop1")).is_err());
        assert!(OutputPath::resolve(&dir).is_err(), "a directory");
        assert!(OutputPath::resolve(&dir.join("nodir/x.xml")).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
