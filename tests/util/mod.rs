//! A tiny harness: a temporary directory to write inputs into and a command to run in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod cdp;
pub mod needs;

/// The two seed articles, bundled in samples/.
pub const SEED_A: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/samples/000_ef569615e60f7221.txt"
);
pub const SEED_B: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/samples/004_19ddaf6e8d9fc9cf.txt"
);

/// A scratch directory with helpers to create inputs and run `overlap` inside it.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel` (creating parent directories) and returns the full path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write input");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).expect("read output")
    }

    /// `overlap ARGS...` run inside the directory, quiet, without colors.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("overlap").expect("binary built");
        cmd.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .args(args);
        cmd
    }
}

/// Output of a finished command as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("run overlap");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A few paragraphs of distinct text, different for each `seed`, long enough to shingle.
pub fn article(seed: u32, words: usize) -> String {
    const VOCAB: &[&str] = &[
        "council", "harbour", "vote", "budget", "river", "minister", "strike", "workers", "flood",
        "market", "report", "police", "school", "court", "energy", "price", "company", "city",
        "village", "storm", "election", "road", "bridge", "farmers", "rain", "mayor", "trade",
        "union", "hospital", "judge", "museum", "festival", "airport", "station", "train", "ferry",
        "coast", "forest", "fire", "water",
    ];
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12_345);
    (0..words)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            VOCAB[(x % VOCAB.len() as u32) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-case words: maximal runs of alphanumeric characters. For tests that check the
/// engine's similarities independently of its own tokenizer.
pub fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Five-word shingles of [`plain_words`], as strings; a text of fewer words is one shingle.
pub fn plain_shingles(text: &str) -> std::collections::BTreeSet<String> {
    let words = plain_words(text);
    if words.len() < 5 {
        return std::collections::BTreeSet::from([words.join(" ")]);
    }
    words.windows(5).map(|w| w.join(" ")).collect()
}
