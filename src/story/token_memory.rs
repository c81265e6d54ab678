//! A worker thread's memory of what each token became as a story term.
//!
//! Counting story terms looks up every token of the corpus, so the lookup is the count's
//! inner loop, and what it costs is memory latency. The memory is a two-way set-associative
//! table of 32-byte entries, two to a 64-byte cache line, 1 MiB in all: it stays in a core's
//! L2 cache, and a lookup reads one line. A general hash map with the token inline held
//! 48-byte entries in two generations of 32,768 (3 MB per thread): its lookups missed the L2
//! and took an eighth of the default scan's CPU time (`perf` on the bench corpus).
//!
//! The token itself is compared on a hit, so a hash collision costs a miss, never a wrong
//! term, and the result never depends on what a thread saw before.

/// Longest token remembered; longer ones are worked out each time (they are rare).
pub const REMEMBERED_TOKEN: usize = 21;

/// What a token became: its term id, how rare the term is in news, and its background
/// weight; `None` for a token that is no term (a function word).
pub type Remembered = Option<(u32, f32, u8)>;

/// One remembered token, 32 bytes.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C)]
struct Entry {
    /// The token, zero-padded.
    token: [u8; REMEMBERED_TOKEN],
    /// Its length; 0 for an empty entry (no token is empty).
    len: u8,
    is_term: bool,
    background: u8,
    term: u32,
    rarity: f32,
}

/// The two entries of one cache line, the more recently used first.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Set([Entry; 2]);

/// Sets in a [`TokenMemory`] (1 MiB).
const SETS: usize = 1 << 14;

/// See the module doc.
#[derive(Debug, Default)]
pub struct TokenMemory {
    /// Allocated at the first lookup, so an idle thread holds nothing.
    sets: Vec<Set>,
}

impl TokenMemory {
    /// What `token` (whose seeded hash is `hash`) became, from memory, or else from
    /// `work_out`, which is then remembered in place of the set's less recently used entry.
    pub fn get_or(
        &mut self,
        hash: u64,
        token: &[u8],
        work_out: impl FnOnce() -> Remembered,
    ) -> Remembered {
        if token.is_empty() || token.len() > REMEMBERED_TOKEN {
            return work_out();
        }
        if self.sets.is_empty() {
            self.sets = vec![Set::default(); SETS];
        }
        let key = padded(token);
        let len = token.len() as u8;
        let set = &mut self.sets[(hash >> 32) as usize & (SETS - 1)];
        let found = |e: &Entry| e.len == len && e.token == key;
        let value = |e: &Entry| e.is_term.then_some((e.term, e.rarity, e.background));
        if found(&set.0[0]) {
            return value(&set.0[0]);
        }
        if found(&set.0[1]) {
            set.0.swap(0, 1);
            return value(&set.0[0]);
        }
        let worked_out = work_out();
        let (term, rarity, background) = worked_out.unwrap_or_default();
        set.0[1] = set.0[0];
        set.0[0] = Entry {
            token: key,
            len,
            is_term: worked_out.is_some(),
            background,
            term,
            rarity,
        };
        worked_out
    }

    /// Forgets everything and gives the memory back.
    pub fn release(&mut self) {
        self.sets = Vec::new();
    }
}

/// `token` (at most [`REMEMBERED_TOKEN`] bytes) zero-padded. Byte by byte, so that the
/// compiler does not call `memmove` for a copy of a few bytes.
fn padded(token: &[u8]) -> [u8; REMEMBERED_TOKEN] {
    let mut key = [0u8; REMEMBERED_TOKEN];
    for (k, &b) in key.iter_mut().zip(token) {
        *k = b;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_half_a_cache_line() {
        assert_eq!(std::mem::size_of::<Entry>(), 32);
        assert_eq!(std::mem::size_of::<Set>(), 64);
    }

    #[test]
    fn a_colliding_token_is_worked_out_never_taken_for_another() {
        let mut memory = TokenMemory::default();
        let hash = 42;
        assert_eq!(
            memory.get_or(hash, b"kursk", || Some((1, 2.0, 3))),
            Some((1, 2.0, 3))
        );
        // The same hash, another token: worked out, not the remembered "kursk".
        assert_eq!(
            memory.get_or(hash, b"navy", || Some((9, 1.0, 200))),
            Some((9, 1.0, 200))
        );
        assert_eq!(memory.get_or(hash, b"the", || None), None);
        // "the" and "navy" are the set's two entries now; "kursk" was forgotten.
        assert_eq!(
            memory.get_or(hash, b"navy", || unreachable!()),
            Some((9, 1.0, 200))
        );
        assert_eq!(memory.get_or(hash, b"the", || unreachable!()), None);
        assert_eq!(
            memory.get_or(hash, b"kursk", || Some((1, 2.0, 3))),
            Some((1, 2.0, 3))
        );
    }

    #[test]
    fn long_tokens_are_worked_out_each_time() {
        let mut memory = TokenMemory::default();
        let long = [b'a'; REMEMBERED_TOKEN + 1];
        let mut calls = 0;
        for _ in 0..2 {
            memory.get_or(7, &long, || {
                calls += 1;
                None
            });
        }
        assert_eq!(calls, 2);
        // A prefix of it is its own token.
        assert_eq!(
            memory.get_or(7, &long[..REMEMBERED_TOKEN], || Some((5, 0.5, 128))),
            Some((5, 0.5, 128))
        );
        assert_eq!(
            memory.get_or(7, &long[..REMEMBERED_TOKEN], || unreachable!()),
            Some((5, 0.5, 128))
        );
    }
}
