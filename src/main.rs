//! The `overlap` binary: parse arguments, size the thread pool, run, map the outcome to an
//! exit code (0 ok, 2 error or skipped records; a closed pipe is not an error).

mod cli;

use std::process::ExitCode;

/// A scan allocates and frees per document on several threads at once (texts, shingle
/// lists, fingerprints). mimalloc's thread-local free lists take a fifth off a scan's CPU time
/// against the system allocator; its version 2 returns freed memory to the system after 10 ms
/// (version 3 waits a second, which raised the bench corpus's peak RSS from 129 to 185 MB),
/// and [`return_freed_memory_sooner`] makes that 1 ms.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 2's `mi_option_purge_delay` (libmimalloc-sys does not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc give freed memory back to the system after 1 ms instead of 10, unless the
/// user set `MIMALLOC_PURGE_DELAY`. The buffers of reading and fingerprinting are freed just
/// before the scan's peak (verifying pairs, then the story stage): returned within 10 ms they
/// were still counted in it. Measured on the bench corpus (`/usr/bin/time`, three runs each,
/// side by side): peak RSS 145-151 MB -> 127-130 MB with stories, 121-123 -> 117-119 MB
/// without, wall time unchanged (1.06-1.11 s and 0.25 s either way); 0 ms saved more memory
/// (109 MB) but cost time without stories.
fn return_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an option is a store into mimalloc's option table, which it allows
        // at any time; the value is a plain number of milliseconds.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    }
}

fn main() -> ExitCode {
    // Before any thread starts: the threads inherit the blocked signals.
    cli::signals::install();
    disable_transparent_huge_pages();
    return_freed_memory_sooner();
    let args = cli::Cli::parse_or_explain();
    // Named workers make profiles (perf, top -H) readable.
    let mut pool = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("overlap-worker-{i}"));
    if let Some(n) = cli::threads(&args) {
        pool = pool.num_threads(n);
    }
    if let Err(e) = pool.build_global() {
        eprintln!("overlap: cannot start the worker threads: {e}");
        return ExitCode::from(2);
    }
    match cli::run(args) {
        Ok(cli::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(cli::Outcome::Skipped) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote paths, ids and field names: control characters in them are
            // shown as visible escapes, not sent to the terminal.
            eprintln!(
                "overlap: {}",
                overlap::report::visible_lines(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}

/// Turns transparent huge pages off for this process.
///
/// mimalloc asks Linux for huge pages on its arenas. Where the kernel defragments only for
/// such requests (`defrag = madvise`, Debian's default), a page fault on a machine whose memory
/// another program has just fragmented stalls in synchronous compaction: a scan run right
/// after a peer in the side-by-side benchmark spent 0.25 s more in the kernel and took 40%
/// longer. A scan touches its memory once and briefly, so huge pages buy it nothing back.
/// Failure (an old kernel) changes nothing but speed, so it is ignored.
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<overlap::Error>().is_some_and(|oe| {
                matches!(oe, overlap::Error::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_reads() {
        // Its default is 10 ms; a wrong number would name another option.
        // SAFETY: reading an option has no preconditions.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        let expected =
            std::env::var("MIMALLOC_PURGE_DELAY").map_or(10, |v| v.parse().unwrap_or(10));
        assert_eq!(delay, expected);
        return_freed_memory_sooner();
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay,
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
                expected
            } else {
                1
            }
        );
    }
}
