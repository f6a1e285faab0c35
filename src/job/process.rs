//! Process-wide safety for a program that writes guides: temporary files removed on SIGINT,
//! SIGTERM and SIGHUP, and the standard descriptors protected
//! ([`crate::output::path::guard_standard_streams`]).
//!
//! Signals are taken with `signal-hook`: its iterator turns a signal into a message for an
//! ordinary thread (the handler itself only writes to a self-pipe), so the cleanup may lock,
//! unlink and then end the process by the same signal with its default action
//! (`emulate_default_handler`), as if we had not been there: the parent sees "killed by
//! SIGTERM", not an exit code.

use std::io;

/// The signals that end a run and remove its temporary files.
pub const CLEANUP_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];

/// Starts the thread that, on SIGINT, SIGTERM or SIGHUP, removes the temporary output files
/// still being written ([`crate::output::path::remove_temp_files_and_hold`]) and then ends the
/// process by that signal. A signal the process inherited as ignored (`nohup` ignores SIGHUP,
/// a shell's background job SIGINT) stays ignored: it would not have ended the run. Call it
/// once, early in `main`.
///
/// # Errors
/// When the handlers cannot be registered or the thread cannot start.
pub fn remove_temp_files_on_signals() -> io::Result<()> {
    let watched: Vec<i32> = CLEANUP_SIGNALS
        .into_iter()
        .filter(|&sig| !is_ignored(sig))
        .collect();
    let mut signals = signal_hook::iterator::Signals::new(watched)?;
    std::thread::Builder::new()
        .name("epgdump-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let _held = crate::output::path::remove_temp_files_and_hold();
                let _ = signal_hook::low_level::emulate_default_handler(sig);
                // Only reached if the default action did not end the process.
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

/// Whether `sig` is set to be ignored (`SIG_IGN`), as inherited from the parent.
#[allow(unsafe_code)] // a read-only sigaction query
fn is_ignored(sig: i32) -> bool {
    // SAFETY: a zeroed sigaction is a valid value of this plain C struct, and sigaction(2) with
    // a null new action only writes the current action into it.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}
