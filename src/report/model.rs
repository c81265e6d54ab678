//! The serializable view of a scan shared by the JSON, JSONL and CSV formats: documents by id
//! rather than by index, sources as `path:line`.

use serde::Serialize;

use super::FORMAT_VERSION;
use crate::cluster::Cluster;
use crate::config::Params;
use crate::error::Problem;
use crate::pipeline::{Scan, ScanStats};
use crate::verify::MatchKind;

/// One cluster.
#[derive(Debug, Serialize)]
pub struct ClusterView<'a> {
    /// 1-based position of the cluster in the output.
    pub cluster: usize,
    /// Every kind of match in the cluster, strongest first.
    pub kinds: &'a [MatchKind],
    /// Number of members.
    pub size: usize,
    /// Id of the kept member.
    pub kept: &'a str,
    /// The members in read order.
    pub members: Vec<MemberView<'a>>,
}

/// One story cluster: documents reporting the same events.
#[derive(Debug, Serialize)]
pub struct StoryView<'a> {
    /// 1-based position of the story in the output.
    pub story: usize,
    /// Number of members.
    pub size: usize,
    /// Terms most members share, heaviest first: the evidence.
    pub terms: &'a [String],
    /// Of those, the names, the figures and the dates (empty lists are left out).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub names: &'a [String],
    /// The figures most members share.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub figures: &'a [String],
    /// The dates most members share.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub dates: &'a [String],
    /// The members in read order.
    pub members: Vec<StoryMemberView<'a>>,
}

/// One member of a story.
#[derive(Debug, Serialize)]
pub struct StoryMemberView<'a> {
    /// The document's id.
    pub id: &'a str,
    /// Where it was read.
    pub source: String,
    /// Text length in bytes.
    pub bytes: u64,
    /// First line of the text.
    pub title: &'a str,
    /// Mean cosine similarity to the other members.
    pub similarity: f64,
}

/// One cluster member.
#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    /// The document's id.
    pub id: &'a str,
    /// Where it was read: `path` or `path:line`.
    pub source: String,
    /// Text length in bytes.
    pub bytes: u64,
    /// First line of the text, at most 80 characters.
    pub title: &'a str,
    /// Whether `dedup` keeps it.
    pub kept: bool,
    /// The edge that put it in the cluster (absent for the kept member).
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchView<'a>>,
}

/// The evidence linking a member to the cluster.
#[derive(Debug, Serialize)]
pub struct MatchView<'a> {
    /// `exact`, `near` or `contained`.
    pub kind: MatchKind,
    /// Id of the member it matched.
    pub to: &'a str,
    /// Jaccard similarity of their shingle sets.
    pub jaccard: f64,
    /// Share of this member's shingles found in `to`.
    pub containment: f64,
    /// Share of `to`'s shingles found in this member.
    pub reverse_containment: f64,
}

/// A skipped record or a warning.
#[derive(Debug, Serialize)]
pub struct ProblemView<'a> {
    /// `path` or `path:line`.
    pub source: String,
    /// The file.
    pub path: &'a str,
    /// The line, for line-based formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What is wrong and how to fix it.
    pub reason: &'a str,
}

/// Counts and parameters of the run.
#[derive(Debug, Serialize)]
pub struct SummaryView<'a> {
    /// Format version.
    pub version: u32,
    /// Version of overlap that wrote it.
    pub overlap: &'static str,
    /// The parameters used.
    pub params: &'a Params,
    /// The counts (wall time is left out so output is reproducible).
    #[serde(flatten)]
    pub stats: StatsView<'a>,
}

/// The counts of [`ScanStats`] without the wall time.
#[derive(Debug, Serialize)]
pub struct StatsView<'a> {
    documents: u64,
    bytes: u64,
    clusters: u64,
    duplicates: u64,
    exact: u64,
    near: u64,
    contained: u64,
    skipped: u64,
    warnings: u64,
    candidates: u64,
    verified: u64,
    lsh_buckets: &'a crate::lsh::BucketStats,
    sample_buckets: &'a crate::lsh::BucketStats,
    stories: u64,
    story_units: u64,
    story_pairs: u64,
    story_buckets: &'a crate::lsh::BucketStats,
    #[serde(skip_serializing_if = "Option::is_none")]
    story_threshold: Option<f64>,
    jaccard_histogram: &'a crate::verify::JaccardHistogram,
}

impl<'a> StatsView<'a> {
    /// The counts of `s`.
    pub fn new(s: &'a ScanStats) -> Self {
        Self {
            documents: s.documents,
            bytes: s.bytes,
            clusters: s.clusters,
            duplicates: s.duplicates,
            exact: s.exact,
            near: s.near,
            contained: s.contained,
            skipped: s.skipped,
            warnings: s.warnings,
            candidates: s.candidates,
            verified: s.verified,
            lsh_buckets: &s.lsh_buckets,
            sample_buckets: &s.sample_buckets,
            stories: s.stories,
            story_units: s.story_units,
            story_pairs: s.story_pairs,
            story_buckets: &s.story_buckets,
            story_threshold: s.story_threshold,
            jaccard_histogram: &s.jaccard_histogram,
        }
    }
}

/// Views of a whole scan.
pub fn clusters(scan: &Scan) -> impl Iterator<Item = ClusterView<'_>> {
    scan.clusters
        .iter()
        .enumerate()
        .map(|(i, c)| cluster(scan, i + 1, c))
}

fn cluster<'a>(scan: &'a Scan, number: usize, c: &'a Cluster) -> ClusterView<'a> {
    let members = c
        .members
        .iter()
        .map(|m| {
            let d = scan.doc(m.doc);
            MemberView {
                id: &d.id,
                source: d.location.to_string(),
                bytes: d.bytes,
                title: &d.title,
                kept: m.kept,
                matched: m.link.map(|l| MatchView {
                    kind: l.kind,
                    to: &scan.doc(l.to).id,
                    jaccard: l.jaccard,
                    containment: l.containment,
                    reverse_containment: l.reverse_containment,
                }),
            }
        })
        .collect();
    ClusterView {
        cluster: number,
        kinds: &c.kinds,
        size: c.members.len(),
        kept: &scan.doc(c.kept).id,
        members,
    }
}

/// Views of the story clusters.
pub fn stories(scan: &Scan) -> impl Iterator<Item = StoryView<'_>> {
    scan.stories.iter().enumerate().map(|(i, s)| StoryView {
        story: i + 1,
        size: s.members.len(),
        terms: &s.terms,
        names: &s.names,
        figures: &s.figures,
        dates: &s.dates,
        members: s
            .members
            .iter()
            .map(|m| {
                let d = scan.doc(m.doc);
                StoryMemberView {
                    id: &d.id,
                    source: d.location.to_string(),
                    bytes: d.bytes,
                    title: &d.title,
                    similarity: m.similarity,
                }
            })
            .collect(),
    })
}

/// A problem as written in reports.
pub fn problem(p: &Problem) -> ProblemView<'_> {
    ProblemView {
        source: p.location.to_string(),
        path: &p.location.path,
        line: p.location.line,
        reason: &p.reason,
    }
}

/// The summary of a scan.
pub fn summary(scan: &Scan) -> SummaryView<'_> {
    SummaryView {
        version: FORMAT_VERSION,
        overlap: env!("CARGO_PKG_VERSION"),
        params: &scan.params,
        stats: StatsView::new(&scan.stats),
    }
}
