//! Group-average clustering of story units on the sparse candidate graph.
//!
//! Two clusters merge only while the mean cosine similarity over *all* their cross pairs
//! stays at or above the threshold, so one bridge unit similar to two unrelated stories cannot
//! chain them together, unlike union-find on a loose threshold. The mean is exact: the sum of
//! cosines over all cross pairs of two clusters equals the dot product of their vector sums,
//! which counts pairs that are not candidates too. The candidate graph only says which
//! clusters are worth comparing.
//!
//! Cost: each cluster keeps its neighbours with the dot product of the two sums. A merge adds
//! the two sides' products, since `S(a+b)·S(c) = S(a)·S(c) + S(b)·S(c)`, and computes a dot
//! product only for a neighbour one side did not have. A neighbour whose mean with a cluster
//! falls below [`FORGET_BELOW`] of the threshold is forgotten. Keeping every neighbour ever met
//! made each merge into a story of thousands of units walk and update its whole border
//! (quadratic in its size). Forgetting is not free of effect: the merged mean with `c` is
//! the size-weighted mean of the two sides' means, so it can reach the threshold only if one
//! side's does, or if a side that never met `c` is very close to it. Forgetting at the
//! threshold itself missed such merges on ECB+; at half of it the story clusters of ECB+,
//! GoogleNews-TS and the bench corpus are the same as with nothing forgotten. All state lives
//! in flat vectors over a component's units, and components are clustered in parallel:
//! merges never cross them.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::candidates::StoryEdge;
use super::vector::{add, dot, Dense, Sparse, StoryVectors};
use crate::cluster::UnionFind;

/// A heap entry: a cluster's best neighbour and their mean similarity, best first, ties to
/// the smaller pair (so the order, and the result, never depend on the heap's layout). Valid
/// while the cluster's `stamp` is unchanged: every change of its best bumps the stamp.
#[derive(Debug, PartialEq)]
struct Candidate {
    mean: f64,
    pair: (u32, u32),
    owner: u32,
    stamp: u32,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| other.pair.cmp(&self.pair))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Group-average clusters at `threshold` of each connected component of the graph of edges
/// at or above it: clusters of two or more units, members sorted, clusters sorted by their
/// first member. Edges below the threshold are left out: two clusters are compared when two
/// of their members are at least `threshold` alike, and the mean counts every pair anyway,
/// through the vector sums.
///
/// The edges are reordered (by component) in place rather than copied: at 8 times the bench
/// corpus they are two million. The clusters do not depend on their order.
///
/// `tick(n)` hears of units done: each component's when it is clustered, the units in no
/// component at once (once per unit in all).
pub fn average_link_by_component(
    vectors: &StoryVectors,
    edges: &mut [StoryEdge],
    threshold: f64,
    tick: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<u32>> {
    let reaches = |e: &StoryEdge| f64::from(e.similarity) >= threshold;
    let mut uf = UnionFind::new(vectors.len());
    for e in edges.iter().filter(|e| reaches(e)) {
        uf.union(e.a, e.b);
    }
    let roots: Vec<u32> = (0..vectors.len() as u32).map(|u| uf.find(u)).collect();
    drop(uf);
    // The edges that reach the threshold first, by component; the rest never make two
    // clusters neighbours (the means count those pairs anyway, through the vector sums).
    edges.par_sort_unstable_by_key(|e| (!reaches(e), roots[e.a as usize], e.a, e.b));
    let reaching = edges.partition_point(reaches);
    let mut components: Vec<(&[StoryEdge], usize)> = edges[..reaching]
        .chunk_by(|x, y| roots[x.a as usize] == roots[y.a as usize])
        .map(|component| (component, component_units(component)))
        .collect();
    drop(roots);
    let in_components: usize = components.iter().map(|c| c.1).sum();
    tick((vectors.len() - in_components) as u64);
    // Largest first, so the biggest component starts while small ones fill the other cores.
    components.sort_by_key(|(c, _)| (std::cmp::Reverse(c.len()), c[0].a, c[0].b));
    let mut clusters: Vec<Vec<u32>> = components
        .par_iter()
        .flat_map_iter(|&(component, units)| {
            let clusters = average_link(vectors, component, threshold);
            tick(units as u64);
            clusters
        })
        .collect();
    clusters.sort_unstable_by_key(|c| c[0]);
    clusters
}

/// The units a component's edges touch.
fn component_units(edges: &[StoryEdge]) -> usize {
    let mut units: Vec<u32> = edges.iter().flat_map(|e| [e.a, e.b]).collect();
    units.sort_unstable();
    units.dedup();
    units.len()
}

/// The state of one component's clustering; clusters are named by their smallest unit, as
/// a local index into `units`.
struct Merger<'a> {
    vectors: &'a StoryVectors,
    units: Vec<u32>,
    size: Vec<u32>,
    alive: Vec<bool>,
    /// Each cluster's most similar neighbour (`END`: none) and their mean.
    best: Vec<(f64, u32)>,
    stamp: Vec<u32>,
    /// The vector sum of a cluster of two or more (a single unit's is its vector).
    sums: Vec<Option<Vec<(u32, f32)>>>,
    /// Neighbours with the dot product of the two sums, sorted by neighbour.
    neighbours: Vec<Vec<Neighbour>>,
    /// Members as linked lists: `next[x]` follows `x`, `last[root]` ends the root's list.
    next: Vec<u32>,
    last: Vec<u32>,
    /// The clustering threshold (neighbours are forgotten below [`FORGET_BELOW`] of it).
    threshold: f64,
    /// The clusters the last merge forgot (their best may have been one of its two sides).
    dropped: Vec<u32>,
}

const END: u32 = u32::MAX;

/// A neighbouring cluster and the dot product of the two clusters' sums.
type Neighbour = (u32, f64);

/// A neighbour whose mean with a cluster falls below this fraction of the threshold is
/// forgotten (see the module doc).
const FORGET_BELOW: f64 = 0.5;

impl<'a> Merger<'a> {
    fn new(vectors: &'a StoryVectors, edges: &[StoryEdge], threshold: f64) -> Self {
        let mut units: Vec<u32> = edges.iter().flat_map(|e| [e.a, e.b]).collect();
        units.sort_unstable();
        units.dedup();
        let n = units.len();
        let mut neighbours = vec![Vec::new(); n];
        for e in edges {
            let local = |u: u32| units.binary_search(&u).unwrap_or_default() as u32;
            let (a, b) = (local(e.a), local(e.b));
            let d = f64::from(e.similarity);
            neighbours[a as usize].push((b, d));
            neighbours[b as usize].push((a, d));
        }
        for list in &mut neighbours {
            list.sort_unstable_by_key(|x| x.0);
            list.dedup_by_key(|x| x.0);
        }
        Self {
            vectors,
            size: vec![1; n],
            alive: vec![true; n],
            best: vec![(0.0, END); n],
            stamp: vec![0; n],
            sums: vec![None; n],
            neighbours,
            next: vec![END; n],
            last: (0..n as u32).collect(),
            units,
            threshold,
            dropped: Vec::new(),
        }
    }

    fn sum(&self, x: u32) -> &Sparse {
        match &self.sums[x as usize] {
            Some(s) => s,
            None => self.vectors.get(self.units[x as usize] as usize),
        }
    }

    /// Adds `S(x) · S(c)` to `entries[k]` (neighbour `c`, partial product) for each `k` of
    /// `which`: the pairs that `x` has not met yet, or has forgotten. Through a dense scatter of
    /// `S(x)` when that costs less than a sparse walk per pair (a sum can be long; the others
    /// are mostly single units).
    fn add_dots(&self, x: u32, entries: &mut [(u32, f64)], which: &[usize], dense: &mut Dense) {
        let sx = self.sum(x);
        let walk = |n: usize| {
            let (short, long) = (n.min(sx.len()), n.max(sx.len()));
            if short * 16 < long {
                short * (long.ilog2() as usize + 1)
            } else {
                short + long
            }
        };
        let lengths = || which.iter().map(|&k| self.sum(entries[k].0).len());
        let scatter = 2 * sx.len() + lengths().sum::<usize>();
        if scatter < lengths().map(walk).sum() {
            dense.load(sx);
            for &k in which {
                entries[k].1 += dense.dot(self.sum(entries[k].0));
            }
            dense.clear();
        } else {
            for &k in which {
                entries[k].1 += dot(sx, self.sum(entries[k].0));
            }
        }
    }

    /// Merges `b` into `a` (`a < b`); `dense` is scratch space. A neighbour stays while its
    /// mean with the merged cluster reaches [`FORGET_BELOW`] of the threshold.
    fn merge(&mut self, a: u32, b: u32, dense: &mut Dense) {
        let la = std::mem::take(&mut self.neighbours[a as usize]);
        let lb = std::mem::take(&mut self.neighbours[b as usize]);
        let size = self.size[a as usize] + self.size[b as usize];
        // The union of both lists with the products known so far; a side that is not `c`'s
        // neighbour gets its product below.
        let mut entries: Vec<Neighbour> = Vec::with_capacity(la.len() + lb.len());
        let (mut need_a, mut need_b) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        while i < la.len() || j < lb.len() {
            let x = la.get(i).map_or(END, |e| e.0);
            let y = lb.get(j).map_or(END, |e| e.0);
            let c = x.min(y);
            let from_a = (x == c).then(|| la[i].1);
            let from_b = (y == c).then(|| lb[j].1);
            i += usize::from(from_a.is_some());
            j += usize::from(from_b.is_some());
            if c == a || c == b {
                continue;
            }
            if from_a.is_none() {
                need_a.push(entries.len());
            }
            if from_b.is_none() {
                need_b.push(entries.len());
            }
            entries.push((c, from_a.unwrap_or(0.0) + from_b.unwrap_or(0.0)));
        }
        self.add_dots(a, &mut entries, &need_a, dense);
        self.add_dots(b, &mut entries, &need_b, dense);
        let (merged, dropped): (Vec<Neighbour>, Vec<Neighbour>) =
            entries.into_iter().partition(|&(c, d)| {
                d / (f64::from(size) * f64::from(self.size[c as usize]))
                    >= self.threshold * FORGET_BELOW
            });
        let sum = add(self.sum(a), self.sum(b));
        self.sums[a as usize] = Some(sum);
        self.sums[b as usize] = None;
        for &(c, d) in &merged {
            let list = &mut self.neighbours[c as usize];
            let at_a = list.binary_search_by_key(&a, |e| e.0);
            let at_b = list.binary_search_by_key(&b, |e| e.0);
            match (at_a, at_b) {
                (Ok(x), Ok(y)) => {
                    list[x].1 = d;
                    list.remove(y);
                }
                (Ok(x), Err(_)) => list[x].1 = d,
                // `a < b`: `a` takes `b`'s place and the entries between move up one.
                (Err(x), Ok(y)) => {
                    list[x..=y].rotate_right(1);
                    list[x] = (a, d);
                }
                (Err(x), Err(_)) => list.insert(x, (a, d)),
            }
        }
        for &(c, _) in &dropped {
            self.neighbours[c as usize].retain(|e| e.0 != a && e.0 != b);
        }
        self.size[a as usize] = size;
        self.alive[b as usize] = false;
        self.next[self.last[a as usize] as usize] = b;
        self.last[a as usize] = self.last[b as usize];
        self.neighbours[a as usize] = merged;
        self.dropped.clear();
        self.dropped.extend(dropped.iter().map(|e| e.0));
    }
}

impl Merger<'_> {
    /// The mean similarity of clusters `x` and `y` whose sums have dot product `d`.
    fn mean(&self, x: u32, y: u32, d: f64) -> f64 {
        d / (f64::from(self.size[x as usize]) * f64::from(self.size[y as usize]))
    }

    /// Sets `x`'s best neighbour and queues it when it reaches `threshold`.
    fn set_best(
        &mut self,
        x: u32,
        best: (f64, u32),
        threshold: f64,
        heap: &mut BinaryHeap<Candidate>,
    ) {
        self.best[x as usize] = best;
        self.stamp[x as usize] += 1;
        if best.1 != END && best.0 >= threshold {
            heap.push(Candidate {
                mean: best.0,
                pair: (x.min(best.1), x.max(best.1)),
                owner: x,
                stamp: self.stamp[x as usize],
            });
        }
    }

    /// `x`'s most similar neighbour, ties to the smaller.
    fn find_best(&self, x: u32) -> (f64, u32) {
        let mut best = (f64::NEG_INFINITY, END);
        for &(y, d) in &self.neighbours[x as usize] {
            let mean = self.mean(x, y, d);
            if mean > best.0 {
                best = (mean, y);
            }
        }
        best
    }
}

/// Group-average clusters of one component at `threshold` (see the module doc).
///
/// A heap holds each cluster's best neighbour, not every pair: after a merge only the merged
/// cluster and the neighbours whose best it changed are queued again, so stale entries stay
/// few however large a cluster grows.
pub fn average_link(vectors: &StoryVectors, edges: &[StoryEdge], threshold: f64) -> Vec<Vec<u32>> {
    let mut m = Merger::new(vectors, edges, threshold);
    let mut dense = Dense::default();
    let mut heap: BinaryHeap<Candidate> = BinaryHeap::new();
    for x in 0..m.units.len() as u32 {
        let best = m.find_best(x);
        m.set_best(x, best, threshold, &mut heap);
    }
    while let Some(Candidate {
        mean,
        pair: (a, b),
        owner,
        stamp,
    }) = heap.pop()
    {
        if mean < threshold {
            break;
        }
        if !m.alive[owner as usize] || m.stamp[owner as usize] != stamp {
            continue; // The cluster has merged, or its best changed, since.
        }
        m.merge(a, b, &mut dense);
        let best = m.find_best(a);
        m.set_best(a, best, threshold, &mut heap);
        for k in 0..m.dropped.len() {
            let c = m.dropped[k];
            let old_partner = m.best[c as usize].1;
            if old_partner == a || old_partner == b {
                let best = m.find_best(c);
                m.set_best(c, best, threshold, &mut heap);
            }
        }
        for k in 0..m.neighbours[a as usize].len() {
            let (c, d) = m.neighbours[a as usize][k];
            let (old_mean, old_partner) = m.best[c as usize];
            if old_partner == a || old_partner == b {
                let best = m.find_best(c);
                m.set_best(c, best, threshold, &mut heap);
            } else {
                let mean = m.mean(a, c, d);
                if mean > old_mean || (mean == old_mean && a < old_partner) {
                    m.set_best(c, (mean, a), threshold, &mut heap);
                }
            }
        }
    }
    let mut clusters: Vec<Vec<u32>> = (0..m.units.len())
        .filter(|&x| m.alive[x] && m.size[x] >= 2)
        .map(|root| {
            let mut members = Vec::with_capacity(m.size[root] as usize);
            let mut x = root as u32;
            while x != END {
                members.push(m.units[x as usize]);
                x = m.next[x as usize];
            }
            members.sort_unstable();
            members
        })
        .collect();
    clusters.sort_unstable_by_key(|c| c[0]);
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::vector::dot;

    fn vectors(docs: &[&[(u32, u16)]]) -> StoryVectors {
        StoryVectors::of_counts(docs)
    }

    fn all_edges(v: &StoryVectors) -> Vec<StoryEdge> {
        let mut edges = Vec::new();
        for a in 0..v.len() as u32 {
            for b in a + 1..v.len() as u32 {
                let similarity = dot(v.get(a as usize), v.get(b as usize)) as f32;
                if similarity > 0.0 {
                    edges.push(StoryEdge { a, b, similarity });
                }
            }
        }
        edges
    }

    #[test]
    fn a_bridge_does_not_chain_two_stories() {
        // 0-2 share terms 1-3, 4-6 share terms 8-9; 3 shares term 12 with 2 and term 7 with 4.
        let v = StoryVectors::unit(&[
            &[(1, 1.0), (2, 1.0), (3, 1.0)],
            &[(1, 1.0), (2, 1.0), (3, 1.0), (4, 0.2)],
            &[(1, 1.0), (2, 1.0), (3, 1.0), (12, 1.0)],
            &[(7, 1.0), (12, 1.0)],
            &[(7, 1.0), (8, 1.0), (9, 1.0)],
            &[(8, 1.0), (9, 1.0), (10, 0.2)],
            &[(8, 1.0), (9, 1.0), (11, 0.2)],
        ]);
        let mut edges = all_edges(&v);
        let sim = |a, b| {
            edges
                .iter()
                .find(|e| (e.a, e.b) == (a, b))
                .map_or(0.0, |e| e.similarity)
        };
        // 3 is similar to 2 (0.35) and to 4 (0.41): union-find at 0.3 would chain all seven.
        assert!(sim(2, 3) > 0.3 && sim(3, 4) > 0.3);
        assert_eq!(
            average_link_by_component(&v, &mut edges, 0.3, &|_| {}),
            vec![vec![0, 1, 2], vec![4, 5, 6]]
        );
    }

    #[test]
    fn mean_over_all_cross_pairs_decides() {
        // 0-1 identical; 2 is close to 0 and, without a candidate edge, to 1 as well: the
        // exact group average counts that pair too.
        let v = vectors(&[
            &[(1, 1), (2, 1)],
            &[(1, 1), (2, 1)],
            &[(1, 1), (3, 1)],
            &[(2, 1), (3, 1)],
        ]);
        let s02 = dot(v.get(0), v.get(2)) as f32;
        let edges = [
            StoryEdge {
                a: 0,
                b: 1,
                similarity: 1.0,
            },
            StoryEdge {
                a: 0,
                b: 2,
                similarity: s02,
            },
        ];
        let below = f64::from(s02) - 0.01;
        assert_eq!(average_link(&v, &edges, below), vec![vec![0, 1, 2]]);
        assert_eq!(
            average_link(&v, &edges, f64::from(s02) + 0.01),
            vec![vec![0, 1]]
        );
    }

    #[test]
    fn the_same_clusters_in_any_edge_order() {
        let docs: Vec<Vec<(u32, u16)>> = (0..40u32)
            .map(|i| {
                vec![
                    (i % 5, 2),
                    (i % 7 + 10, 1),
                    (i % 3 + 20, 1),
                    (i / 10 + 30, 1),
                ]
            })
            .collect();
        let refs: Vec<&[(u32, u16)]> = docs.iter().map(Vec::as_slice).collect();
        let v = vectors(&refs);
        let mut edges = all_edges(&v);
        let want = average_link_by_component(&v, &mut edges, 0.4, &|_| {});
        assert!(!want.is_empty());
        edges.reverse();
        assert_eq!(
            average_link_by_component(&v, &mut edges, 0.4, &|_| {}),
            want
        );
    }
}
