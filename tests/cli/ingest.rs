//! Reading inputs (issue 16): inputs read twice, compressed and binary files, record-size
//! limits, numeric ids and CSV line numbers.

use std::io::Write;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{article, run, TestEnv};

/// `n` JSONL records: `dups` of them exact copies of the first, the rest distinct.
fn corpus(n: u32, dups: u32) -> String {
    (0..n)
        .map(|i| {
            let seed = if i < dups { 0 } else { i };
            serde_json::json!({"id": format!("r{i}"), "text": article(seed, 80)}).to_string() + "\n"
        })
        .collect()
}

fn lines(s: &str) -> usize {
    s.lines().filter(|l| !l.trim().is_empty()).count()
}

fn overlap_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("overlap")
}

/// Runs `overlap ARGS` through bash in `env`'s folder (for `<(cmd)` inputs); returns the exit
/// code and stderr.
fn overlap_in_bash(env: &TestEnv, args: &str) -> (Option<i32>, String) {
    let out = StdCommand::new("bash")
        .current_dir(env.path())
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg(format!("'{}' {args}", overlap_bin().display()))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

// ---- item 2: inputs read twice ----

#[test]
fn item2_dedup_reads_a_fifo_whole() {
    let env = TestEnv::new();
    let fifo = env.path().join("feed.jsonl");
    let made = StdCommand::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let data = corpus(6, 2);
    let writer = {
        let (fifo, data) = (fifo.clone(), data.clone());
        std::thread::spawn(move || {
            // Opening blocks until overlap opens the pipe for reading.
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(data.as_bytes()).unwrap();
        })
    };
    let mut cmd = env.cmd(&["dedup", "feed.jsonl", "-o", "out.jsonl"]);
    cmd.timeout(std::time::Duration::from_secs(120));
    let r = run(cmd);
    writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(lines(&env.read("out.jsonl")), 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("wrote 5 records, removed 1"),
        "{}",
        r.stderr
    );
}

#[test]
fn item2_dedup_reads_process_substitution_and_dev_stdin() {
    let env = TestEnv::new();
    env.write("c.jsonl", corpus(6, 2));
    // `<(cmd)` names a pipe as /dev/fd/N.
    let (code, stderr) = overlap_in_bash(&env, "dedup <(cat c.jsonl) -o out1.jsonl");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(lines(&env.read("out1.jsonl")), 5, "{stderr}");

    // /dev/stdin fed from a pipe, and `-`.
    for (input, output) in [("/dev/stdin", "out2.jsonl"), ("-", "out3.jsonl")] {
        let mut cmd = env.cmd(&["dedup", input, "-o", output]);
        cmd.write_stdin(corpus(6, 2))
            .timeout(std::time::Duration::from_secs(120));
        let r = run(cmd);
        assert_eq!(r.code, 0, "{input}: {}", r.stderr);
        assert_eq!(lines(&env.read(output)), 5, "{input}: {}", r.stderr);
    }
}

#[test]
fn item2_report_reads_a_pipe_twice() {
    let env = TestEnv::new();
    env.write("c.jsonl", corpus(4, 2));
    let (code, stderr) = overlap_in_bash(&env, "report <(cat c.jsonl) --format json -o r.json");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(env.read("r.json").contains("\"r1\""), "{stderr}");
}

/// Runs a scan of `corpus.jsonl`, lets `change` alter the file, then writes the deduplicated
/// corpus: the second pass must refuse, naming the file and what changed.
fn dedup_after_change(change: impl FnOnce(&std::path::Path)) -> Result<String, String> {
    let env = TestEnv::new();
    let path = env.write("corpus.jsonl", corpus(6, 2));
    let input = overlap::Input::from_arg(path.to_str().unwrap(), None);
    let scan = overlap::scan(
        vec![input.clone()],
        &overlap::Params::default(),
        &overlap::ScanOptions::default(),
        &overlap::NoProgress,
    )
    .unwrap();
    change(&path);
    let mut out = Vec::new();
    match overlap::dedup::write_deduplicated(vec![input], &scan, &mut out, None) {
        Ok(stats) => Ok(format!("{stats:?}")),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn item2_a_file_truncated_between_the_passes_fails() {
    let err = dedup_after_change(|path| {
        let len = std::fs::metadata(path).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.set_len(len / 2).unwrap();
    })
    .expect_err("a partial output must not be written");
    assert!(err.contains("corpus.jsonl"), "{err}");
    assert!(err.contains("changed"), "{err}");
    assert!(err.contains("size"), "{err}");
}

#[test]
fn item2_a_file_rewritten_in_place_between_the_passes_fails() {
    // Same size, same modification time: only the checksum of the bytes tells.
    let err = dedup_after_change(|path| {
        let meta = std::fs::metadata(path).unwrap();
        let mut bytes = std::fs::read(path).unwrap();
        let at = bytes.len() / 2;
        bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
        std::fs::write(path, &bytes).unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.set_modified(meta.modified().unwrap()).unwrap();
    })
    .expect_err("a changed input must not be copied");
    assert!(err.contains("corpus.jsonl"), "{err}");
    assert!(err.contains("checksum"), "{err}");
}

#[test]
fn item2_a_file_changed_during_dedup_exits_2() {
    // Through the binary: the second input is a pipe that rewrites the first input once the
    // scan has read it. The pipe holds more than a pipe buffer, so its writer blocks until
    // the scan reads it, which is after the first input; the pipe ends after the rewrite.
    // So the scan reads the old bytes and the copy pass would read the new ones.
    let env = TestEnv::new();
    env.write("a.jsonl", corpus(6, 2));
    env.write("filler.jsonl", corpus(1000, 0).replace("\"r", "\"f"));
    let (code, stderr) = overlap_in_bash(&env, "dedup a.jsonl <(cat filler.jsonl; head -c 100 a.jsonl > a.tmp; mv a.tmp a.jsonl) -o out.jsonl");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("a.jsonl: changed"), "{stderr}");
    assert!(!env.path().join("out.jsonl").exists(), "{stderr}");
}

// ---- item 4: compressed and binary input ----

#[test]
fn item4_reads_gzip_and_zstd_in_every_format() {
    let env = TestEnv::new();
    let jsonl = corpus(3, 0);
    env.write("x.jsonl.gz", gzip(jsonl.as_bytes()));
    let csv = format!("id,text\nc1,{}\nc2,{}\n", article(11, 40), article(12, 40));
    env.write("x.csv.zst", zstd(csv.as_bytes()));
    env.write("dir/a.txt.gz", gzip(article(21, 50).as_bytes()));
    env.write("dir/b.md.zst", zstd(article(22, 50).as_bytes()));
    // Compressed without a telling extension: found by its magic bytes.
    env.write("noext", gzip(corpus(1, 0).replace("r0", "m0").as_bytes()));
    let r = run(env.cmd(&[
        "scan",
        "x.jsonl.gz",
        "x.csv.zst",
        "dir",
        "noext",
        "--format",
        "jsonl",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("8 documents"), "{}", r.stderr);

    // gzip on standard input.
    let mut cmd = env.cmd(&["scan", "-", "--format", "jsonl"]);
    cmd.write_stdin(gzip(corpus(4, 2).as_bytes()));
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("4 documents"), "{}", r.stderr);
    assert!(r.stdout.contains(r#""kinds":["exact"]"#), "{}", r.stdout);
}

#[test]
fn item4_refuses_binary_input_and_reads_the_rest() {
    let env = TestEnv::new();
    let mut parquet = b"PAR1".to_vec();
    parquet.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    parquet.extend_from_slice(b"PAR1");
    env.write("data.parquet", parquet);
    env.write("zeros.jsonl", vec![0u8; 10_000]);
    env.write(
        "noise.txt",
        (0..5000u32)
            .map(|i| (i.wrapping_mul(2_246_822_519) >> 7) as u8 | 0x80)
            .collect::<Vec<u8>>(),
    );
    env.write("good.jsonl", corpus(3, 0));
    let r = run(env.cmd(&[
        "scan",
        "data.parquet",
        "zeros.jsonl",
        "noise.txt",
        "good.jsonl",
        "--format",
        "jsonl",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    for path in ["data.parquet", "zeros.jsonl", "noise.txt"] {
        assert!(
            r.stderr
                .contains(&format!("{path}: looks like binary data (")),
            "{path}: {}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("3 documents"), "{}", r.stderr);
}

#[test]
fn item4_a_byte_order_mark_costs_nothing() {
    let env = TestEnv::new();
    let bom = "\u{feff}";
    // Without a telling extension the first `{` after the mark makes it JSONL.
    env.write("plain", format!("{bom}{}", corpus(3, 0)));
    let b: String = (0..2)
        .map(|i| {
            serde_json::json!({"id": format!("b{i}"), "text": article(50 + i, 80)}).to_string()
                + "\n"
        })
        .collect();
    env.write("b.jsonl", format!("{bom}{b}"));
    env.write(
        "c.csv",
        format!(
            "{bom}id,text\nc1,{}\nc2,{}\n",
            article(31, 40),
            article(32, 40)
        ),
    );
    let r = run(env.cmd(&["dedup", "plain", "b.jsonl", "c.csv", "-o", "out.jsonl"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = env.read("out.jsonl");
    for id in [
        r#""id":"r0""#,
        r#""id":"b0""#,
        r#""id":"c1""#,
        r#""id":"c2""#,
    ] {
        assert!(out.contains(id), "{id} missing from {out}: {}", r.stderr);
    }
    assert_eq!(lines(&out), 7, "{out}");
}

// ---- item 7: bounded records ----

#[test]
fn item7_over_long_records_are_reported_and_skipped() {
    let env = TestEnv::new();
    let long = article(99, 400);
    assert!(long.len() > 1024);
    let mut jsonl = corpus(2, 0);
    jsonl.push_str(&(serde_json::json!({"id": "big", "text": long}).to_string() + "\n"));
    jsonl.push_str(&corpus(4, 0).lines().skip(2).collect::<Vec<_>>().join("\n"));
    env.write("c.jsonl", jsonl);
    env.write(
        "c.csv",
        format!(
            "id,text\nk1,{}\nk2,\"{long}\"\nk3,{}\n",
            article(41, 30),
            article(42, 30)
        ),
    );
    env.write("big.txt", &long);
    env.write("small.txt", article(43, 30));
    let r = run(env.cmd(&[
        "scan",
        "c.jsonl",
        "c.csv",
        "big.txt",
        "small.txt",
        "--max-record-size",
        "1KiB",
        "--format",
        "jsonl",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    for at in ["c.jsonl:3", "c.csv:3", "big.txt"] {
        assert!(
            r.stderr.contains(&format!(
                "{at}: record is larger than --max-record-size (1 KiB); skipped"
            )),
            "{at}: {}",
            r.stderr
        );
    }
    // 4 JSONL records, 2 CSV rows, 1 text file.
    assert!(r.stderr.contains("7 documents"), "{}", r.stderr);
}

/// Runs `overlap ARGS` with `bytes` bytes of `fill` on standard input and returns its exit
/// code, stderr and peak resident memory in bytes.
fn run_on_a_flood(args: &[&str], fill: u8, bytes: usize) -> (i32, String, u64) {
    let env = TestEnv::new();
    let mut child = StdCommand::new(overlap_bin())
        .current_dir(env.path())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![fill; 1 << 20];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(chunk.len());
            // overlap may stop reading early (a refused input): the pipe closes.
            if stdin.write_all(&chunk[..n]).is_err() {
                return;
            }
            left -= n;
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).unwrap();
        s
    });
    let (status, rss) = wait_with_peak_rss(&mut child);
    writer.join().unwrap();
    (status, reader.join().unwrap(), rss)
}

/// Waits for a child and returns its exit code and peak resident memory.
///
/// The peak is read from `/proc/PID/status` (VmHWM) while the child runs: wait4's
/// `ru_maxrss` would count the memory of this test process, which the child shares until it
/// calls exec. The last reading before the child exits is a lower bound of its peak, close to
/// it for memory that grows while input is read.
fn wait_with_peak_rss(child: &mut std::process::Child) -> (i32, u64) {
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), peak_kib * 1024);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[test]
fn item7_an_endless_line_is_skipped_in_bounded_memory() {
    // 300 MB without a newline, as from `tr -d '\n' < /dev/urandom | base64`.
    let (code, stderr, rss) = run_on_a_flood(
        &[
            "scan",
            "-",
            "--max-record-size",
            "1KiB",
            "--format",
            "jsonl",
        ],
        b'x',
        300 << 20,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("-:1: record is larger than --max-record-size (1 KiB); skipped"),
        "{stderr}"
    );
    assert!(rss < 150 << 20, "peak RSS {} MB: {stderr}", rss >> 20);
}

#[test]
fn item7_a_flood_of_nul_bytes_is_refused_in_bounded_memory() {
    // `head -c 300M /dev/zero | overlap scan -`: binary data, refused without being held.
    let (code, stderr, rss) = run_on_a_flood(
        &["dedup", "-", "--input-format", "jsonl", "-o", "out.jsonl"],
        0,
        300 << 20,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("-: looks like binary data ("), "{stderr}");
    assert!(rss < 150 << 20, "peak RSS {} MB: {stderr}", rss >> 20);
}

#[test]
fn item7_sizes_parse_with_suffixes_and_bad_ones_are_refused() {
    let env = TestEnv::new();
    env.write("c.jsonl", corpus(2, 0));
    for ok in ["64MiB", "1G", "1KiB", "500k", "2048"] {
        let r = run(env.cmd(&["scan", "c.jsonl", "--max-record-size", ok]));
        assert_eq!(r.code, 0, "{ok}: {}", r.stderr);
    }
    let r = run(env.cmd(&["scan", "c.jsonl", "--max-record-size", "lots"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--max-record-size"), "{}", r.stderr);
    for (bad, why) in [
        ("0", "at least 1 byte"),
        ("99999999999999999999", "fit in 64 bits"),
    ] {
        let r = run(env.cmd(&["scan", "c.jsonl", "--max-record-size", bad]));
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains(why), "{bad}: {}", r.stderr);
    }
}

// ---- item 11: numbers as written ----

#[test]
fn item11_numeric_ids_keep_their_text() {
    let env = TestEnv::new();
    let rec = |id: &str, seed: u32| format!(r#"{{"id": {id}, "text": "{}"}}"#, article(seed, 60));
    env.write(
        "c.jsonl",
        [
            rec("18446744073709551617", 1),
            rec("18446744073709551616", 2),
            rec("1e2", 3),
            rec("100.0", 4),
            rec("18446744073709551617", 1).replace("617", "618"),
        ]
        .join("\n"),
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--format", "jsonl"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("duplicate id"), "{}", r.stderr);
    assert!(
        r.stdout.contains(r#""id":"18446744073709551617""#)
            && r.stdout.contains(r#""id":"18446744073709551618""#),
        "{}",
        r.stdout
    );
    // The full parser (dedup keeps the other fields) shows the same ids.
    let r = run(env.cmd(&[
        "dedup",
        "c.jsonl",
        "-o",
        "out.jsonl",
        "--removed",
        "rm.jsonl",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let removed = env.read("rm.jsonl");
    assert!(
        removed.contains(r#""duplicate_of":"18446744073709551617""#),
        "{removed}"
    );
    assert!(
        removed.contains(r#""id":18446744073709551618"#),
        "{removed}"
    );
}

// ---- item 12: CSV line numbers with CRLF ----

#[test]
fn item12_crlf_csv_reports_true_line_numbers() {
    let env = TestEnv::new();
    let csv = format!(
        "id,text\r\nc1,{}\r\nc2,{},ragged\r\nc3,\"two\r\nlines {}\"\r\nc4,x,y\r\n",
        article(1, 30),
        article(2, 30),
        article(3, 30)
    );
    env.write("c.csv", csv);
    let r = run(env.cmd(&["scan", "c.csv", "--format", "jsonl"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("c.csv:3: row has 3 fields"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("c.csv:6: row has 3 fields"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 documents"), "{}", r.stderr);
}

#[test]
fn item2_spooled_standard_input_leaves_nothing_behind_when_killed() {
    // dedup keeps a copy of standard input for its second reading. The copy has no name:
    // while dedup reads, and after `kill -9`, the temporary directory stays empty.
    let env = TestEnv::new();
    let tmp = env.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut child = StdCommand::new(overlap_bin())
        .current_dir(env.path())
        .env("TMPDIR", &tmp)
        .env("NO_COLOR", "1")
        .args(["dedup", "-", "-o", "out.jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // More than a pipe holds: when the write returns, dedup has read (and spooled) most of it.
    let data = corpus(4000, 0);
    assert!(data.len() > 1 << 20);
    stdin.write_all(data.as_bytes()).unwrap();
    let listing = |when: &str| {
        let names: Vec<_> = std::fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(names.is_empty(), "{when}: {names:?} left in TMPDIR");
    };
    listing("while reading");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    listing("after kill -9");
    assert!(!env.path().join("out.jsonl").exists());
}

/// A named pipe below an input directory is reported and skipped, not waited for: with no
/// writer it would block the run for ever. Named on the command line, a pipe is read.
#[test]
fn item2_a_named_pipe_inside_an_input_directory_is_skipped_not_waited_for() {
    let env = TestEnv::new();
    env.write("in/a.txt", article(3, 80));
    let made = StdCommand::new("mkfifo")
        .arg(env.path().join("in/pipe.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    let mut cmd = env.cmd(&["scan", "in", "-f", "json", "-q", "--no-stories"]);
    // Only a failure hangs; a bound keeps the suite from hanging with it.
    cmd.timeout(std::time::Duration::from_secs(120));
    let r = run(cmd);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("in/pipe.txt: not a regular file"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("\"documents\": 1"), "{}", r.stdout);
}
