//! The `overlap` binary: parse arguments, size the thread pool, run, map the outcome to an
//! exit code (0 ok, 2 error or skipped records; a closed pipe is not an error).

mod cli;

use std::process::ExitCode;

/// A scan allocates and frees per document on several threads at once (texts, shingle
/// lists, fingerprints). mimalloc's thread-local free lists take a fifth off a scan's CPU time
/// against the system allocator; its version 2 returns freed memory to the system after 10 ms
/// (version 3 waits a second, which raised the bench corpus's peak RSS from 129 to 185 MB).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before any thread starts: the threads inherit the blocked signals.
    cli::signals::install();
    disable_transparent_huge_pages();
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
