//! Directories: every `.txt` and `.md` file below, recursively, one document per file.

use std::io::Read;
use std::path::PathBuf;

use super::{io_reason, Unit};
use crate::error::{Location, Problem};

/// File extensions read from directories (case-insensitive).
const TEXT_EXTENSIONS: &[&str] = &["txt", "md"];

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
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
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
                    return Some(Unit::Problem(Problem {
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
            if !entry.file_type().is_file() {
                continue;
            }
            let wanted = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| TEXT_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)));
            if !wanted {
                continue;
            }
            let location = Location {
                path: self.shown(entry.path()),
                line: None,
            };
            let mut bytes = Vec::new();
            let read =
                std::fs::File::open(entry.path()).and_then(|mut f| f.read_to_end(&mut bytes));
            return Some(match read {
                Ok(_) => Unit::File { location, bytes },
                Err(e) => Unit::Problem(Problem {
                    location,
                    reason: io_reason(&e),
                }),
            });
        }
    }
}
