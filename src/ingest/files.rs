//! Directories: every `.txt` and `.md` file below (also gzip- or zstd-compressed, as
//! `a.txt.gz`), recursively, one document per file.

use std::path::PathBuf;

use super::io_reason;
use super::source::uncompressed_name;
use crate::error::{Location, Problem};

/// File extensions read from directories (case-insensitive).
const TEXT_EXTENSIONS: &[&str] = &["txt", "md"];

/// What a directory walk finds: a regular file to read, or a problem to report (a named pipe,
/// socket or device below a directory is one: it is read only when named as an input).
pub enum Entry {
    /// A file to read as one text document.
    File {
        /// Where it is.
        path: PathBuf,
        /// How to report it.
        display: String,
    },
    /// An entry that cannot be read (unreadable, a symlink loop).
    Problem(Problem),
}

/// Walks a directory in file-name order, following symlinks and reporting loops.
pub struct DirWalk {
    walk: walkdir::IntoIter,
    root: PathBuf,
    display: String,
}

impl DirWalk {
    pub fn new(root: PathBuf, display: String) -> Self {
        let walk = walkdir::WalkDir::new(&root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        Self {
            walk,
            root,
            display,
        }
    }

    /// The path to show for `path`: the directory as the user gave it, then the relative path.
    fn shown(&self, path: &std::path::Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let base = self.display.trim_end_matches('/');
        if rel.as_os_str().is_empty() {
            return base.to_owned();
        }
        format!("{base}/{}", rel.to_string_lossy())
    }
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

impl Iterator for DirWalk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let entry = match self.walk.next()? {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| self.shown(p))
                        .unwrap_or_else(|| self.display.clone());
                    let reason = if let Some(ancestor) = e.loop_ancestor() {
                        format!(
                            "symlink loop: it leads back to {} (skipped; remove the link or point it elsewhere)",
                            self.shown(ancestor)
                        )
                    } else if let Some(io) = e.io_error() {
                        io_reason(io)
                    } else {
                        format!("cannot read: {e}")
                    };
                    return Some(Entry::Problem(Problem {
                        location: Location { path, line: None },
                        reason,
                    }));
                }
            };
            if is_hidden(&entry) {
                if entry.file_type().is_dir() {
                    self.walk.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_dir() {
                continue;
            }
            let wanted = uncompressed_name(entry.path())
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| TEXT_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)));
            if !wanted {
                continue;
            }
            let display = self.shown(entry.path());
            if !entry.file_type().is_file() {
                // A named pipe with no writer would block the run for ever, and a device may
                // never end: a folder is read for its files, as `rg` and `fd` walk them.
                return Some(Entry::Problem(Problem {
                    location: Location {
                        path: display,
                        line: None,
                    },
                    reason: "not a regular file (a named pipe, socket or device); skipped: a \
                             folder is read for its files, so name it on the command line to \
                             read it"
                        .to_owned(),
                }));
            }
            return Some(Entry::File {
                display,
                path: entry.into_path(),
            });
        }
    }
}
