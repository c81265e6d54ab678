//! Output files: written to a temporary file beside the target and renamed into place, so a
//! reader never sees half a file; an input is never overwritten.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tempfile::NamedTempFile;

/// A file being written atomically; dropped without [`AtomicFile::commit`], it vanishes.
pub struct AtomicFile {
    temp: BufWriter<NamedTempFile>,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing `target`, refusing when it is one of `inputs`.
    pub fn create(target: &Path, inputs: &[String]) -> Result<Self> {
        refuse_inputs(target, inputs)?;
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = NamedTempFile::new_in(dir).with_context(|| {
            format!("{}: cannot create a file in this directory", dir.display())
        })?;
        Ok(Self {
            temp: BufWriter::with_capacity(1 << 16, temp),
            target: target.to_owned(),
        })
    }

    /// Flushes and renames the file into place.
    pub fn commit(self) -> Result<()> {
        let temp = self.temp.into_inner().map_err(|e| e.into_error())?;
        temp.as_file().sync_all().ok();
        temp.persist(&self.target)
            .with_context(|| format!("{}: cannot write the output file", self.target.display()))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
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
    if File::open(&target_real).is_ok() && target_real.is_dir() {
        bail!("{}: is a directory; name a file to write", target.display());
    }
    Ok(())
}
