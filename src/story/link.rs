//! Story candidates and average-link clustering on the sparse similarity graph.
//!
//! Candidates: every document is indexed under its few heaviest terms (its keywords); two
//! documents become a candidate pair when they share at least two keywords (one when either
//! has fewer than four). Keyword buckets are capped like LSH buckets (a document pairs with
//! the next `cap` documents of a larger bucket only), so a term shared by thousands of
//! documents cannot make the run quadratic; no pair outside the buckets is ever compared, and
//! the pairs are counted document by document, never listed all at once.
//!
//! Clusters: group-average linkage. Two clusters merge only while the mean cosine similarity
//! over *all* their cross pairs stays at or above the threshold, so one bridge document
//! similar to two unrelated stories cannot chain them together, unlike union-find on a loose
//! threshold. The mean is exact (computed from the clusters' vector sums); the candidate graph
//! only decides which clusters are compared.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::vector::StoryVector;
use crate::doc::DocId;
use crate::lsh::BucketStats;

/// A multiply-rotate hasher for small integer keys (document and term ids): SipHash's
/// protection against adversarial keys buys nothing here and costs most of the clustering
/// time.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A hash map keyed by ids.
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
/// A hash set of ids.
pub type IdSet<K> = std::collections::HashSet<K, BuildHasherDefault<IdHasher>>;

/// Most candidate partners kept per document (its most similar later documents).
pub const MAX_PARTNERS: usize = 50;

/// A candidate pair with its cosine similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryEdge {
    /// First document.
    pub a: DocId,
    /// Second document.
    pub b: DocId,
    /// Cosine similarity of their story vectors.
    pub similarity: f32,
}

/// Candidate pairs from shared keywords, measured, keeping those at or above `floor`.
/// `compatible(a, b)` can veto a pair (date blocking).
pub fn candidate_edges(
    vectors: &[StoryVector],
    keywords: usize,
    cap: usize,
    floor: f32,
    compatible: &(dyn Fn(DocId, DocId) -> bool + Sync),
) -> (Vec<StoryEdge>, BucketStats) {
    let tops: Vec<Vec<u32>> = vectors.par_iter().map(|v| v.top(keywords)).collect();
    // Postings: (keyword, document), sorted, so each keyword's documents are a sorted run.
    let mut entries: Vec<(u32, DocId)> = tops
        .iter()
        .enumerate()
        .flat_map(|(d, t)| t.iter().map(move |&term| (term, d as DocId)))
        .collect();
    entries.par_sort_unstable();
    let mut runs: IdMap<u32, (usize, usize)> = IdMap::default();
    let mut stats = BucketStats::default();
    let mut start = 0;
    for run in entries.chunk_by(|x, y| x.0 == y.0) {
        runs.insert(run[0].0, (start, start + run.len()));
        start += run.len();
        let n = run.len();
        if n >= 2 {
            stats.largest = stats.largest.max(n as u64);
        }
        if n > cap {
            stats.capped += 1;
            let kept: u64 = (0..n).map(|i| (n - 1 - i).min(cap) as u64).sum();
            stats.pairs_skipped += (n * (n - 1) / 2) as u64 - kept;
        }
    }
    // Each document counts the keywords it shares with the documents after it in each run
    // (the next `cap` of them in a capped run), so every pair is counted once, by its first
    // document, without ever listing all pairs at once.
    let edges = (0..vectors.len())
        .into_par_iter()
        .map_init(IdMap::<DocId, u32>::default, |shared, a| {
            shared.clear();
            for term in &tops[a] {
                let (start, end) = runs[term];
                let run = &entries[start..end];
                let Ok(at) = run.binary_search(&(*term, a as DocId)) else {
                    continue;
                };
                for &(_, b) in &run[at + 1..(at + 1 + cap).min(run.len())] {
                    *shared.entry(b).or_default() += 1;
                }
            }
            let mut out: Vec<StoryEdge> = shared
                .iter()
                .filter_map(|(&b, &n)| {
                    let a = a as DocId;
                    let needed = if tops[a as usize].len() < 4 || tops[b as usize].len() < 4 {
                        1
                    } else {
                        2
                    };
                    if n < needed || !compatible(a, b) {
                        return None;
                    }
                    let similarity = vectors[a as usize].cosine(&vectors[b as usize]);
                    (similarity >= floor).then_some(StoryEdge { a, b, similarity })
                })
                .collect();
            // Keep the closest partners only: the clustering needs neighbours to compare, not
            // every similar pair, and a corpus where everything resembles everything (boilerplate
            // press releases) must not turn into millions of edges.
            out.sort_unstable_by(|x, y| y.similarity.total_cmp(&x.similarity).then(x.b.cmp(&y.b)));
            out.truncate(MAX_PARTNERS);
            out.sort_unstable_by_key(|e| e.b);
            out
        })
        .flatten_iter()
        .collect();
    (edges, stats)
}

/// A heap entry: the mean similarity of two clusters at given versions, best first.
#[derive(Debug, PartialEq)]
struct Candidate {
    mean: f64,
    a: DocId,
    b: DocId,
    versions: (u32, u32),
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The sum of two sparse vectors sorted by term id.
pub fn add(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Dot product of two sparse vectors sorted by term id.
pub fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                d += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    d
}

/// [`average_link`] on each connected component of the candidate graph, in parallel: merges
/// never cross components, so the result is the same as one run over the whole graph.
pub fn average_link_by_component(
    vectors: &[StoryVector],
    edges: &[StoryEdge],
    threshold: f64,
) -> Vec<Vec<DocId>> {
    let mut uf = crate::cluster::UnionFind::new(vectors.len());
    for e in edges {
        uf.union(e.a, e.b);
    }
    let mut groups: IdMap<DocId, Vec<StoryEdge>> = IdMap::default();
    for e in edges {
        groups.entry(uf.find(e.a)).or_default().push(*e);
    }
    let mut components: Vec<Vec<StoryEdge>> = groups.into_values().collect();
    // Largest first, so the biggest component starts while small ones fill the other cores.
    components.sort_by_key(|c| (std::cmp::Reverse(c.len()), c[0].a, c[0].b));
    let mut clusters: Vec<Vec<DocId>> = components
        .par_iter()
        .flat_map_iter(|component| average_link(vectors, component, threshold))
        .collect();
    clusters.sort_by_key(|c| c[0]);
    clusters
}

/// Dot product when one vector is much shorter: binary search of its terms in the other.
fn dot_lopsided(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() * 8 > long.len() {
        return dot(short, long);
    }
    short
        .iter()
        .filter_map(|&(t, w)| {
            long.binary_search_by_key(&t, |x| x.0)
                .ok()
                .map(|i| f64::from(w) * f64::from(long[i].1))
        })
        .sum()
}

/// Group-average clusters at `threshold`: clusters of two or more documents as sorted
/// members, sorted by first member.
///
/// The sum of cosines over all cross pairs of two clusters equals the dot product of their
/// vector sums, so the mean is exact, for pairs that are not candidates too; the candidate
/// graph only says which clusters are worth comparing. Those dot products are kept for
/// neighbouring clusters and added up on a merge (S(a+b)·S(c) = S(a)·S(c) + S(b)·S(c)), so a
/// merge computes a dot product only for a neighbour that one side had never met.
pub fn average_link(
    vectors: &[StoryVector],
    edges: &[StoryEdge],
    threshold: f64,
) -> Vec<Vec<DocId>> {
    // Per-document state lives in maps over the documents the edges touch, so one call per
    // connected component costs what the component holds, not the corpus.
    let mut size: IdMap<DocId, u32> = IdMap::default();
    let mut version: IdMap<DocId, u32> = IdMap::default();
    let mut dead: IdSet<DocId> = IdSet::default();
    let mut sums: IdMap<DocId, Vec<(u32, f32)>> = IdMap::default();
    let mut neighbours: IdMap<DocId, IdSet<DocId>> = IdMap::default();
    let mut dots: IdMap<(DocId, DocId), f64> = IdMap::default();
    for e in edges {
        neighbours.entry(e.a).or_default().insert(e.b);
        neighbours.entry(e.b).or_default().insert(e.a);
        dots.insert((e.a.min(e.b), e.a.max(e.b)), f64::from(e.similarity));
    }
    let mut heap: BinaryHeap<Candidate> = edges
        .iter()
        .filter(|e| f64::from(e.similarity) >= threshold)
        .map(|e| Candidate {
            mean: f64::from(e.similarity),
            a: e.a.min(e.b),
            b: e.a.max(e.b),
            versions: (0, 0),
        })
        .collect();
    let mut members: IdMap<DocId, Vec<DocId>> = IdMap::default();
    let key = |x: DocId, y: DocId| (x.min(y), x.max(y));
    while let Some(Candidate {
        mean,
        a,
        b,
        versions,
    }) = heap.pop()
    {
        if mean < threshold {
            break;
        }
        let v = |x: DocId| version.get(&x).copied().unwrap_or(0);
        if dead.contains(&a) || dead.contains(&b) || versions != (v(a), v(b)) {
            continue; // One side has merged since this entry was computed.
        }
        // Merge b into a (a < b, so a cluster keeps its smallest member's name).
        let mut around: Vec<DocId> = neighbours
            .remove(&a)
            .unwrap_or_default()
            .into_iter()
            .collect();
        around.extend(neighbours.remove(&b).unwrap_or_default());
        around.retain(|&c| c != a && c != b && !dead.contains(&c));
        around.sort_unstable();
        around.dedup();
        dots.remove(&key(a, b));
        let merged_dots: Vec<f64> = around
            .iter()
            .map(|&c| {
                let sum_c = sums
                    .get(&c)
                    .map_or(vectors[c as usize].terms.as_slice(), Vec::as_slice);
                let mut side = |x: DocId| {
                    dots.remove(&key(x, c)).unwrap_or_else(|| {
                        let sum_x = sums
                            .get(&x)
                            .map_or(vectors[x as usize].terms.as_slice(), Vec::as_slice);
                        dot_lopsided(sum_x, sum_c)
                    })
                };
                side(a) + side(b)
            })
            .collect();
        let sum_a = sums
            .remove(&a)
            .unwrap_or_else(|| vectors[a as usize].terms.clone());
        let sum_b = sums
            .remove(&b)
            .unwrap_or_else(|| vectors[b as usize].terms.clone());
        sums.insert(a, add(&sum_a, &sum_b));
        dead.insert(b);
        let merged = size.get(&a).copied().unwrap_or(1) + size.get(&b).copied().unwrap_or(1);
        size.insert(a, merged);
        *version.entry(a).or_default() += 1;
        let moved = members.remove(&b).unwrap_or_else(|| vec![b]);
        members.entry(a).or_insert_with(|| vec![a]).extend(moved);
        for (&c, d) in around.iter().zip(merged_dots) {
            let set = neighbours.entry(c).or_default();
            set.remove(&b);
            set.insert(a);
            dots.insert(key(a, c), d);
            let mean = d / (f64::from(merged) * f64::from(size.get(&c).copied().unwrap_or(1)));
            if mean >= threshold {
                let (x, y) = key(a, c);
                heap.push(Candidate {
                    mean,
                    a: x,
                    b: y,
                    versions: (
                        version.get(&x).copied().unwrap_or(0),
                        version.get(&y).copied().unwrap_or(0),
                    ),
                });
            }
        }
        neighbours.insert(a, around.into_iter().collect());
    }
    let mut clusters: Vec<Vec<DocId>> = members
        .into_iter()
        .filter(|(root, _)| !dead.contains(root))
        .map(|(_, mut m)| {
            m.sort_unstable();
            m
        })
        .collect();
    clusters.sort_by_key(|c| c[0]);
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit vector with the given relative weights.
    fn unit(terms: &[(u32, f32)]) -> StoryVector {
        let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        StoryVector {
            terms: terms.iter().map(|&(t, w)| (t, w / norm)).collect(),
        }
    }

    #[test]
    fn a_bridge_does_not_chain_two_stories() {
        // 0-2 share terms 1-3, 4-6 share terms 8-9; 3 shares term 12 with 2 and term 7 with 4.
        let v = [
            unit(&[(1, 1.0), (2, 1.0), (3, 1.0)]),
            unit(&[(1, 1.0), (2, 1.0), (3, 1.0), (4, 0.2)]),
            unit(&[(1, 1.0), (2, 1.0), (3, 1.0), (12, 1.0)]),
            unit(&[(7, 1.0), (12, 1.0)]),
            unit(&[(7, 1.0), (8, 1.0), (9, 1.0)]),
            unit(&[(8, 1.0), (9, 1.0), (10, 0.2)]),
            unit(&[(8, 1.0), (9, 1.0), (11, 0.2)]),
        ];
        let mut edges = Vec::new();
        for a in 0..7u32 {
            for b in a + 1..7 {
                let similarity = v[a as usize].cosine(&v[b as usize]);
                if similarity > 0.0 {
                    edges.push(StoryEdge { a, b, similarity });
                }
            }
        }
        // 3 is similar to 2 (0.35) and to 4 (0.41): union-find at 0.3 would chain all seven.
        let sim = |a, b| {
            edges
                .iter()
                .find(|e| (e.a, e.b) == (a, b))
                .map_or(0.0, |e| e.similarity)
        };
        assert!(sim(2, 3) > 0.3 && sim(3, 4) > 0.3);
        assert_eq!(
            average_link(&v, &edges, 0.3),
            vec![vec![0, 1, 2], vec![4, 5, 6]]
        );
    }

    #[test]
    fn mean_over_all_cross_pairs_decides() {
        // 0-1 identical; 2 is close to 0 and, without a candidate edge, to 1 as well: the
        // exact group average counts that pair too.
        let v = [
            unit(&[(1, 1.0), (2, 1.0)]),
            unit(&[(1, 1.0), (2, 1.0)]),
            unit(&[(1, 1.0), (3, 1.0)]),
        ];
        let edges = [
            StoryEdge {
                a: 0,
                b: 1,
                similarity: 1.0,
            },
            StoryEdge {
                a: 0,
                b: 2,
                similarity: 0.5,
            },
        ];
        assert_eq!(average_link(&v, &edges, 0.45), vec![vec![0, 1, 2]]);
        assert_eq!(average_link(&v, &edges, 0.55), vec![vec![0, 1]]);
    }

    #[test]
    fn candidates_need_shared_keywords() {
        let v = |terms: &[u32]| {
            StoryVector::weigh(&terms.iter().map(|&t| (t, 1.0)).collect::<Vec<_>>(), |_| {
                1.0
            })
        };
        let vectors = [
            v(&[1, 2, 3, 4, 5]),
            v(&[1, 2, 3, 4, 6]),
            v(&[1, 7, 8, 9, 10]),
        ];
        let (edges, _) = candidate_edges(&vectors, 5, 100, 0.0, &|_, _| true);
        let pairs: Vec<(DocId, DocId)> = edges.iter().map(|e| (e.a, e.b)).collect();
        assert_eq!(pairs, [(0, 1)], "0 and 2 share one keyword of five");
    }
}
