//! The SIGBUS guard of mapped windows (Linux): a fault inside a registered window is repaired
//! instead of killing the process. See the module docs of [`crate::input`] for why and for the
//! soundness argument; this file is the crate's one `unsafe` boundary besides the map itself.
//!
//! How it works:
//! - A process-wide SIGBUS handler is installed once (`sigaction`, `SA_SIGINFO | SA_ONSTACK`),
//!   keeping the previous action (Rust's own stack-overflow handler, or a library user's).
//! - Each mapped window is registered in a fixed table of [`SLOTS`] slots (address range and a
//!   fault flag, all atomics) for exactly as long as the reader may touch it.
//! - On SIGBUS, the handler looks the faulting address up in the table. Inside a window, it maps
//!   anonymous zero pages (`MAP_FIXED`) over the rest of that window, from the faulting page to
//!   its end, records the first fault's offset and returns: the faulting load runs again and reads
//!   zeros. The reader checks the flag between pieces and reports an input error.
//! - Outside every window the fault is not ours: the previous handler is called, or the default
//!   action is restored so the retried access terminates the process as it always would.
//!
//! The handler only does atomic loads and stores and two system calls (`mmap`, `sigaction`),
//! which are async-signal-safe on Linux.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Windows that can be guarded at the same time (one per thread reading a file).
const SLOTS: usize = 32;

/// One registered window: `[start, end)` in the address space, and the offset of its first
/// fault plus one (0 = none).
struct Slot {
    busy: AtomicBool,
    start: AtomicUsize,
    end: AtomicUsize,
    fault: AtomicUsize,
}

impl Slot {
    const fn new() -> Slot {
        Slot {
            busy: AtomicBool::new(false),
            start: AtomicUsize::new(0),
            end: AtomicUsize::new(0),
            fault: AtomicUsize::new(0),
        }
    }
}

static TABLE: [Slot; SLOTS] = [const { Slot::new() }; SLOTS];

/// A window registered with the guard; unregistered on drop. It must be dropped before the
/// memory it covers is unmapped.
pub(super) struct Guard {
    slot: &'static Slot,
}

impl Guard {
    /// Registers `window` (the bytes of a live read-only file mapping). `None` when the guard is
    /// not available (not Linux, the handler could not be installed, or every slot is taken):
    /// the caller must then not touch the mapping and reads the bytes with `read()` instead.
    pub(super) fn register(window: &[u8]) -> Option<Guard> {
        if window.is_empty() || !sys::install() {
            return None;
        }
        let slot = TABLE.iter().find(|s| {
            s.busy
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        })?;
        let start = window.as_ptr() as usize;
        slot.fault.store(0, Ordering::Release);
        slot.start.store(start, Ordering::Release);
        slot.end
            .store(start.saturating_add(window.len()), Ordering::Release);
        Some(Guard { slot })
    }

    /// The offset in the window of the first access that faulted, if any did: the bytes from
    /// that page on read as zeros.
    pub(super) fn fault(&self) -> Option<usize> {
        self.slot.fault.load(Ordering::Acquire).checked_sub(1)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.slot.end.store(0, Ordering::Release);
        self.slot.start.store(0, Ordering::Release);
        self.slot.busy.store(false, Ordering::Release);
    }
}

/// Looks `addr` up in the table; on a hit, repairs the window with `repair(page_start, len)`
/// and records the fault. Returns whether the fault was ours and repaired.
fn handle(addr: usize, page: usize, repair: impl Fn(usize, usize) -> bool) -> bool {
    for slot in &TABLE {
        let start = slot.start.load(Ordering::Acquire);
        let end = slot.end.load(Ordering::Acquire);
        if start == 0 || addr < start || addr >= end {
            continue;
        }
        let mask = page.wrapping_sub(1);
        let base = addr & !mask;
        let Some(top) = end.checked_add(mask).map(|e| e & !mask) else {
            return false;
        };
        if !repair(base, top - base) {
            return false;
        }
        let _ =
            slot.fault
                .compare_exchange(0, addr - start + 1, Ordering::AcqRel, Ordering::Relaxed);
        return true;
    }
    false
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // the signal boundary: see the module docs
mod sys {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;

    /// The action that was installed for SIGBUS before ours.
    static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();
    /// Whether our handler is installed.
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    /// The page size.
    static PAGE: AtomicUsize = AtomicUsize::new(4096);

    /// Installs the handler once; whether it is in place.
    pub(super) fn install() -> bool {
        *INSTALLED.get_or_init(|| {
            // SAFETY: sysconf has no preconditions.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
            if let Ok(p) = usize::try_from(page) {
                if p.is_power_of_two() {
                    PAGE.store(p, Ordering::Relaxed);
                }
            }
            // SAFETY: a zeroed sigaction is a valid value of this plain C struct; sigaction(2)
            // with a null new action only reads the current one into `old`.
            let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
            if unsafe { libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut old) } != 0 {
                return false;
            }
            let _ = PREVIOUS.set(old);
            // SAFETY: as above; the handler is an `extern "C"` function with the SA_SIGINFO
            // signature, it only touches atomics and calls async-signal-safe system calls.
            unsafe {
                let mut new: libc::sigaction = std::mem::zeroed();
                new.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
                new.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut new.sa_mask);
                libc::sigaction(libc::SIGBUS, &new, std::ptr::null_mut()) == 0
            }
        })
    }

    /// The SIGBUS handler.
    extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler; for SIGBUS its
        // si_addr is the faulting address.
        let addr = if info.is_null() {
            0
        } else {
            unsafe { (*info).si_addr() as usize }
        };
        let repaired = super::handle(addr, PAGE.load(Ordering::Relaxed), |base, len| {
            // SAFETY: [base, base + len) lies inside a registered window, which is part of a
            // live read-only file mapping owned by the thread that faulted; replacing those
            // pages with private zero pages keeps the range mapped, readable and of the same
            // length, so every reference into it stays valid. The mapping is unmapped by its
            // owner (memmap2) only after the window is unregistered.
            let r = unsafe {
                libc::mmap(
                    base as *mut libc::c_void,
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            r != libc::MAP_FAILED
        });
        if !repaired {
            // SAFETY: the previous action was read from the kernel; calling it with the
            // arguments we were given is what the kernel would have done.
            unsafe { chain(sig, info, ctx) };
        }
    }

    /// Not our fault: hand it to the previous handler, or restore the default action so the
    /// retried access terminates the process as it would have without us.
    unsafe fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
        if let Some(prev) = PREVIOUS.get() {
            let h = prev.sa_sigaction;
            if h != libc::SIG_DFL && h != libc::SIG_IGN {
                if prev.sa_flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        unsafe { std::mem::transmute(h) };
                    f(sig, info, ctx);
                } else {
                    let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(h) };
                    f(sig);
                }
                return;
            }
        }
        let mut dfl: libc::sigaction = unsafe { std::mem::zeroed() };
        dfl.sa_sigaction = libc::SIG_DFL;
        unsafe {
            libc::sigemptyset(&mut dfl.sa_mask);
            libc::sigaction(sig, &dfl, std::ptr::null_mut());
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    /// No guard off Linux: files are read with `read()`.
    pub(super) fn install() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_inside_a_registered_window_are_recorded_once() {
        let buf = vec![7u8; 10_000];
        let g = Guard::register(&buf);
        if g.is_none() {
            eprintln!("skipped: no SIGBUS guard on this platform");
            return;
        }
        let g = g.unwrap();
        let base = buf.as_ptr() as usize;
        let calls = std::cell::Cell::new(Vec::new());
        let repair = |b: usize, l: usize| {
            let mut v = calls.take();
            v.push((b, l));
            calls.set(v);
            true
        };
        assert!(!handle(base + 20_000, 4096, repair), "outside the window");
        assert!(handle(base + 5000, 4096, repair));
        assert!(handle(base + 9000, 4096, repair));
        assert_eq!(g.fault(), Some(5000));
        let v = calls.take();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].0, (base + 5000) & !4095);
        assert!(v[0].0 + v[0].1 >= base + 10_000);
        drop(g);
        assert!(!handle(base + 5000, 4096, |_, _| true), "unregistered");
    }
}
