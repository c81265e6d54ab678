//! Output files: written to a temporary file beside the target and renamed into place, so a
//! reader never sees half a file; an input is never overwritten. A target that exists and is
//! not a regular file (`/dev/stdout`, `/dev/null`, a named pipe) is written in place: renaming
//! over it would replace the device or pipe with a plain file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tempfile::NamedTempFile;

/// A file being written atomically; dropped without [`AtomicFile::commit`], it vanishes.
pub struct AtomicFile {
    out: BufWriter<Sink>,
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
    /// Starts writing `target`, refusing when it is one of `inputs`.
    pub fn create(target: &Path, inputs: &[String]) -> Result<Self> {
        refuse_inputs(target, inputs)?;
        let special = std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir());
        let sink = if special {
            let file = File::options()
                .write(true)
                .open(target)
                .with_context(|| format!("{}: cannot open it for writing", target.display()))?;
            Sink::InPlace(file)
        } else {
            let dir = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let temp = NamedTempFile::new_in(dir).with_context(|| {
                format!("{}: cannot create a file in this directory", dir.display())
            })?;
            Sink::Temp(temp)
        };
        Ok(Self {
            out: BufWriter::with_capacity(1 << 16, sink),
            target: target.to_owned(),
        })
    }

    /// Flushes and renames the file into place (or just flushes a target written in place).
    pub fn commit(self) -> Result<()> {
        let cannot = || format!("{}: cannot write the output file", self.target.display());
        let sink = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?;
        match sink {
            Sink::Temp(temp) => {
                temp.as_file().sync_all().ok();
                temp.persist(&self.target).with_context(cannot)?;
            }
            Sink::InPlace(mut file) => file.flush().with_context(cannot)?,
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
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

fn refuse_inputs(target: &Path, inputs: &[String]) -> Result<()> {
    let Ok(target_real) = target.canonicalize() else {
        return Ok(()); // Does not exist yet, so it is no input.
    };
    for input in inputs.iter().filter(|i| *i != "-") {
        if Path::new(input)
            .canonicalize()
            .is_ok_and(|p| p == target_real)
        {
            bail!(
                "{}: refusing to overwrite an input; write the output to another file",
                target.display()
            );
        }
    }
    // Only the metadata is read: opening a named pipe would wait for a writer.
    if target_real.is_dir() {
        bail!("{}: is a directory; name a file to write", target.display());
    }
    Ok(())
}
