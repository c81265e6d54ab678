//! SIGINT, SIGTERM and SIGHUP: the temporary files of unfinished outputs are removed, then
//! the process ends as the signal would have ended it (a shell shows 130, 143 or 129).
//!
//! The signals are blocked in every thread from the start of `main` (threads inherit the
//! mask) and taken by one thread that waits for them with `sigwait`: it runs ordinary code,
//! not a signal handler, so it may lock and delete files. A temporary file is registered under
//! the same lock as its creation and unregistered under the same lock as its rename or
//! deletion, so the waiting thread sees every one that exists.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files of the outputs being written.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A thread that panicked while holding the lock left the list whole: use it anyway.
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Creates a temporary file with `create` and registers it for removal on a signal.
pub fn create_tracked(
    create: impl FnOnce() -> io::Result<tempfile::NamedTempFile>,
) -> io::Result<tempfile::NamedTempFile> {
    let mut live = live();
    let temp = create()?;
    live.push(temp.path().to_owned());
    Ok(temp)
}

/// Runs `finish` (the rename or deletion of the temporary file at `path`), then forgets it.
pub fn untrack<T>(path: &Path, finish: impl FnOnce() -> T) -> T {
    let mut live = live();
    let result = finish();
    live.retain(|p| p != path);
    result
}

/// Blocks the signals in this thread and every thread it starts later, and starts the thread
/// that takes them. Call first thing in `main`, before any other thread exists.
#[cfg(target_os = "linux")]
pub fn install() {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    for s in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        set.add(s);
    }
    if set.thread_block().is_err() {
        return; // The default action stays: the run ends, temporary files remain.
    }
    let started = std::thread::Builder::new()
        .name("overlap-signals".into())
        .spawn(move || loop {
            // An interrupted wait (EINTR) is retried: giving up would leave the signals
            // blocked, and Ctrl-C would do nothing.
            if let Ok(signal) = set.wait() {
                end_by(signal);
            }
        });
    if started.is_err() {
        let _ = set.thread_unblock();
    }
}

/// Without `nix` (not Linux), signals keep their default action.
#[cfg(not(target_os = "linux"))]
pub fn install() {}

/// Removes the temporary files, then ends the process by `signal` itself, so that a shell or
/// a parent sees the run was interrupted. The lock is never released: no output is renamed
/// into place after this.
#[cfg(target_os = "linux")]
fn end_by(signal: nix::sys::signal::Signal) -> ! {
    use nix::sys::signal::{self, SigHandler, SigSet};
    let live = live();
    for path in live.iter() {
        let _ = std::fs::remove_file(path);
    }
    // SAFETY: restoring the default action installs no handler code.
    let _ = unsafe { signal::signal(signal, SigHandler::SigDfl) };
    let mut only = SigSet::empty();
    only.add(signal);
    let _ = only.thread_unblock();
    let _ = signal::raise(signal);
    std::process::exit(128 + signal as i32)
}
