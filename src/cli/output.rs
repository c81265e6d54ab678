//! Output files.
//!
//! Before a run reads anything, [`check`] refuses every output that is, links to (symlink or
//! hard link: same device and inode) or lies inside something the run reads, and two outputs
//! that are one file. An output is then written to a hidden temporary file beside the target
//! and renamed into place, so a reader never sees half a file; the temporary file is removed
//! if the run fails or is interrupted (see [`super::signals`]). A new output gets the mode
//! the umask allows (`0666 & !umask`, as `>` in a shell would); a replaced one keeps its mode.
//! A target that exists and is not a regular file (`/dev/stdout`, `/dev/null`, a named pipe)
//! is written in place: renaming over it would replace the device or pipe with a plain file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use overlap::report::visible;
use tempfile::NamedTempFile;

use super::signals;

/// Refuses outputs (`(flag, path)`) that would overwrite, or be written inside, one of
/// `reads` (every file and directory the run reads), and two outputs that are one file.
pub fn check(outputs: &[(&str, &Path)], reads: &[PathBuf]) -> Result<()> {
    let read_nodes: Vec<(&PathBuf, Node)> = reads
        .iter()
        .filter_map(|r| Some((r, Node::of(r)?)))
        .collect();
    let mut seen: Vec<(&str, &Path, Target)> = Vec::new();
    for &(flag, path) in outputs {
        let shown = visible(&path.to_string_lossy()).into_owned();
        let meta = std::fs::metadata(path).ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            bail!("{flag} {shown}: is a directory; name a file to write");
        }
        if meta.as_ref().is_some_and(|m| !m.is_file()) {
            continue; // A device or pipe, written in place: no file of the run is replaced.
        }
        let target = Target::of(path).with_context(|| {
            format!("{flag} {shown}: cannot reach the directory to write it in")
        })?;
        for (read, node) in &read_nodes {
            let read_shown = display(read);
            if target.existing == Some(*node) {
                let alias = if read_shown == shown {
                    String::new()
                } else {
                    format!(
                        " ({flag} {shown} is {read_shown}, which this run reads, by another name)"
                    )
                };
                bail!(
                    "{shown}: refusing to overwrite an input; write the output to another file{alias}"
                );
            }
            if target.directories.contains(node) {
                bail!(
                    "{flag} {shown}: lies inside the input directory {read_shown}, which this \
                     run reads; write the output outside it"
                );
            }
        }
        if let Some((other_flag, other, _)) = seen.iter().find(|(_, _, t)| t.same_file(&target)) {
            bail!(
                "{other_flag} {} and {flag} {shown} are the same file: one would overwrite the \
                 other; name two different files",
                visible(&other.to_string_lossy())
            );
        }
        seen.push((flag, path, target));
    }
    Ok(())
}

/// The path an input argument reads: standard input (`-`) is `/dev/stdin`, which is the file
/// behind it when it is redirected from one (`< corpus.jsonl`).
pub fn read_path(arg: &str) -> PathBuf {
    if arg == "-" {
        PathBuf::from(STDIN)
    } else {
        PathBuf::from(arg)
    }
}

const STDIN: &str = "/dev/stdin";

/// A path as messages show it: standard input by that name.
fn display(path: &Path) -> String {
    if path == Path::new(STDIN) {
        "standard input".to_owned()
    } else {
        visible(&path.to_string_lossy()).into_owned()
    }
}

/// A file or directory by device and inode, so that a symlink or a hard link to it is it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Node {
    device: u64,
    inode: u64,
}

impl Node {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(Self {
            device: m.dev(),
            inode: m.ino(),
        })
    }

    /// Without inodes, a hash of the canonical path stands for the file.
    #[cfg(not(unix))]
    fn of(path: &Path) -> Option<Self> {
        let real = path.canonicalize().ok()?;
        Some(Self {
            device: 0,
            inode: xxhash_rust::xxh3::xxh3_64(real.to_string_lossy().as_bytes()),
        })
    }
}

/// Where an output goes: the file it replaces, if any, and every directory above it.
struct Target {
    existing: Option<Node>,
    /// The directory written into first, then each one above it up to the root.
    directories: Vec<Node>,
    name: Option<std::ffi::OsString>,
}

impl Target {
    fn of(path: &Path) -> io::Result<Self> {
        let dir = parent_dir(path).canonicalize()?;
        let mut directories: Vec<Node> = dir.ancestors().filter_map(Node::of).collect();
        // A symlink may lead into an input directory from outside it: the directories above
        // the file it leads to count too.
        if let Some(real_dir) = path.canonicalize().ok().as_deref().and_then(Path::parent) {
            directories.extend(real_dir.ancestors().filter_map(Node::of));
        }
        Ok(Self {
            existing: Node::of(path),
            directories,
            name: path.file_name().map(ToOwned::to_owned),
        })
    }

    fn same_file(&self, other: &Target) -> bool {
        match (self.existing, other.existing) {
            (Some(a), Some(b)) => a == b,
            (None, None) => {
                self.name == other.name && self.directories.first() == other.directories.first()
            }
            _ => false,
        }
    }
}

/// The directory a path's file is in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks a run's outputs (`(flag, path)`, absent ones standing for standard output) against
/// what it reads (`reads`, listed only when there is an output file to check: listing can
/// walk the input directories) with [`check`], then opens them, in order.
pub fn prepare<const N: usize>(
    outputs: [(&str, Option<&Path>); N],
    reads: impl FnOnce() -> Vec<PathBuf>,
) -> Result<[Destination; N]> {
    let named: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|&(flag, path)| Some((flag, path?)))
        .collect();
    if !named.is_empty() {
        check(&named, &reads())?;
    }
    let opened = outputs
        .iter()
        .map(|&(_, path)| Destination::open(path))
        .collect::<Result<Vec<_>>>()?;
    Ok(opened
        .try_into()
        .unwrap_or_else(|_| unreachable!("one destination per output")))
}

/// Where a command writes: a file given with `-o` (created as soon as the run starts, so an
/// unwritable directory is reported before the work), or standard output.
pub enum Destination {
    /// An output file.
    File(AtomicFile),
    /// Standard output.
    Stdout,
}

impl Destination {
    /// Starts writing `path`, or standard output when there is none. Call [`check`] first.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        Ok(match path {
            Some(p) => Self::File(AtomicFile::create(p)?),
            None => Self::Stdout,
        })
    }

    /// The output file, or `None` for standard output.
    pub fn into_file(self) -> Option<AtomicFile> {
        match self {
            Self::File(f) => Some(f),
            Self::Stdout => None,
        }
    }

    /// Writes the whole output with `body` and commits it.
    pub fn write(self, body: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        match self {
            Self::File(mut file) => {
                body(&mut file)?;
                file.commit()
            }
            Self::Stdout => {
                let stdout = std::io::stdout();
                let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
                body(&mut out)?;
                out.flush().context("writing to standard output")
            }
        }
    }
}

/// A file being written atomically; dropped without [`AtomicFile::commit`], it vanishes.
pub struct AtomicFile {
    /// `None` only while being committed or dropped.
    out: Option<BufWriter<Sink>>,
    target: PathBuf,
}

/// Where the bytes go until the commit.
enum Sink {
    /// A temporary file beside the target, renamed over it by the commit.
    Temp(NamedTempFile),
    /// The target itself, which is not a regular file.
    InPlace(File),
}

impl AtomicFile {
    /// Starts writing `target` (which [`check`] has accepted).
    pub fn create(target: &Path) -> Result<Self> {
        let shown = || visible(&target.to_string_lossy()).into_owned();
        let existing = std::fs::metadata(target).ok();
        let special = existing
            .as_ref()
            .is_some_and(|m| !m.is_file() && !m.is_dir());
        // A symlink to a file: the file it leads to is replaced (in its own directory), as
        // `> link` in a shell would write it; renaming over the link would turn it into a
        // plain file and leave the file behind it as it was.
        let resolved = match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() && existing.is_some() => target.canonicalize().ok(),
            _ => None,
        };
        let target = resolved.as_deref().unwrap_or(target);
        let sink = if special {
            let file = File::options()
                .write(true)
                .open(target)
                .with_context(|| format!("{}: cannot open it for writing", shown()))?;
            Sink::InPlace(file)
        } else {
            let dir = parent_dir(target);
            let temp = signals::create_tracked(|| temp_beside(dir, existing.as_ref()))
                .with_context(|| {
                    format!(
                        "{}: cannot create a file in this directory",
                        visible(&dir.to_string_lossy())
                    )
                })?;
            Sink::Temp(temp)
        };
        Ok(Self {
            out: Some(BufWriter::with_capacity(1 << 16, sink)),
            target: target.to_owned(),
        })
    }

    /// Flushes and renames the file into place (or just flushes a target written in place).
    pub fn commit(mut self) -> Result<()> {
        let cannot = || {
            format!(
                "{}: cannot write the output file",
                visible(&self.target.to_string_lossy())
            )
        };
        let out = self.out.take().expect("an open file");
        let sink = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?;
        match sink {
            Sink::Temp(temp) => {
                temp.as_file().sync_all().ok();
                let temp_path = temp.path().to_owned();
                signals::untrack(&temp_path, || temp.persist(&self.target))
                    .map_err(|e| e.error)
                    .with_context(cannot)?;
            }
            Sink::InPlace(mut file) => file.flush().with_context(cannot)?,
        }
        Ok(())
    }
}

/// A hidden temporary file in `dir`: with the mode of the file it will replace, else with the
/// mode the umask allows a new file (`0666 & !umask`; the kernel applies the umask).
fn temp_beside(dir: &Path, replaced: Option<&std::fs::Metadata>) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".overlap-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(dir)?;
    if let Some(m) = replaced {
        // Set after creation: the umask narrows only the mode given at creation. The read
        // and write bits are kept, not setuid, setgid or sticky: what `overlap` writes is
        // data, never a program to run with another's rights.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = m.permissions().mode() & 0o777;
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        #[cfg(not(unix))]
        temp.as_file().set_permissions(m.permissions())?;
    }
    Ok(temp)
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(out) = self.out.take() {
            // Uncommitted: the temporary file is deleted while still registered, so that a
            // signal arriving meanwhile finds it either registered or gone.
            if let (Sink::Temp(temp), _) = out.into_parts() {
                let path = temp.path().to_owned();
                signals::untrack(&path, || drop(temp));
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.as_mut().expect("an open file").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.as_mut().expect("an open file").flush()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Temp(temp) => temp.write(buf),
            Sink::InPlace(file) => file.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Temp(temp) => temp.flush(),
            Sink::InPlace(file) => file.flush(),
        }
    }
}
