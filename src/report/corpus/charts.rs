//! The report's two charts as data, drawn as inline SVG for HTML and as a table for Markdown:
//! the Jaccard similarity of verified pairs by kind, and the sizes of clusters.
//!
//! Bars are stacked and the scale is linear, so bar heights compare honestly; every bar
//! carries its exact counts in a tooltip, and bars too short to see still get one.

use std::fmt::Write as _;

use crate::pipeline::Scan;
use crate::report::compare::escape;
use crate::verify::{JaccardHistogram, JACCARD_BINS};

/// One stacked series of a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Its name in the legend.
    pub name: &'static str,
    /// Its CSS class (the page's style sheet colors it).
    pub class: &'static str,
}

/// A bar chart: one bar per bin, each stacked from its series' counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Heading.
    pub title: &'static str,
    /// What the bins measure.
    pub x_label: &'static str,
    /// What the bars count.
    pub y_label: &'static str,
    /// The stacked series, bottom first.
    pub series: Vec<Series>,
    /// `(bin label, one count per series)`.
    pub bars: Vec<(String, Vec<u64>)>,
}

impl Chart {
    /// Verified pairs by Jaccard similarity, stacked by kind.
    pub fn jaccard(h: &JaccardHistogram) -> Self {
        let width = 1.0 / JACCARD_BINS as f64;
        Self {
            title: "Similarity of verified pairs",
            x_label: "Jaccard similarity of the two shingle sets",
            y_label: "pairs",
            series: vec![
                Series {
                    name: "exact",
                    class: "exact",
                },
                Series {
                    name: "near",
                    class: "near",
                },
                Series {
                    name: "contained",
                    class: "contained",
                },
            ],
            bars: (0..JACCARD_BINS)
                .map(|i| {
                    let label = format!("{:.2}–{:.2}", i as f64 * width, (i + 1) as f64 * width);
                    (label, vec![h.exact[i], h.near[i], h.contained[i]])
                })
                .collect(),
        }
    }

    /// Clusters by number of members, duplicates and stories side by side in each bin.
    pub fn cluster_sizes(scan: &Scan) -> Self {
        const BINS: [(usize, usize); 9] = [
            (2, 2),
            (3, 3),
            (4, 4),
            (5, 5),
            (6, 10),
            (11, 20),
            (21, 50),
            (51, 100),
            (101, usize::MAX),
        ];
        let count = |sizes: &mut dyn Iterator<Item = usize>| {
            let mut counts = [0u64; BINS.len()];
            for size in sizes {
                if let Some(i) = BINS.iter().position(|&(lo, hi)| (lo..=hi).contains(&size)) {
                    counts[i] += 1;
                }
            }
            counts
        };
        let dups = count(&mut scan.clusters.iter().map(|c| c.members.len()));
        let stories = count(&mut scan.stories.iter().map(|s| s.members.len()));
        Self {
            title: "Cluster sizes",
            x_label: "members",
            y_label: "clusters",
            series: vec![
                Series {
                    name: "duplicate clusters",
                    class: "dup",
                },
                Series {
                    name: "stories",
                    class: "story",
                },
            ],
            bars: BINS
                .iter()
                .enumerate()
                .map(|(i, &(lo, hi))| {
                    let label = match (lo, hi) {
                        (lo, usize::MAX) => format!("{}+", lo),
                        (lo, hi) if lo == hi => lo.to_string(),
                        (lo, hi) => format!("{lo}–{hi}"),
                    };
                    (label, vec![dups[i], stories[i]])
                })
                .collect(),
        }
    }

    /// Sum of all counts.
    pub fn total(&self) -> u64 {
        self.bars.iter().flat_map(|(_, v)| v).sum()
    }

    /// The chart as a Markdown table of its non-empty bins.
    pub fn markdown(&self) -> String {
        let mut out = format!("| {} |", self.x_label);
        for s in &self.series {
            let _ = write!(out, " {} |", s.name);
        }
        out.push_str(" total |\n|---|");
        out.push_str(&"---:|".repeat(self.series.len() + 1));
        out.push('\n');
        for (label, counts) in self.bars.iter().filter(|(_, c)| c.iter().any(|&n| n > 0)) {
            let _ = write!(out, "| {label} |");
            for n in counts {
                let _ = write!(out, " {n} |");
            }
            let _ = writeln!(out, " {} |", counts.iter().sum::<u64>());
        }
        out
    }

    /// The chart as an inline SVG element with a legend, axis labels and a tooltip per bar.
    pub fn svg(&self) -> String {
        const W: f64 = 640.0;
        const H: f64 = 240.0;
        const LEFT: f64 = 52.0;
        const RIGHT: f64 = 12.0;
        const TOP: f64 = 28.0;
        const BOTTOM: f64 = 46.0;
        let plot_w = W - LEFT - RIGHT;
        let plot_h = H - TOP - BOTTOM;
        let max = self
            .bars
            .iter()
            .map(|(_, c)| c.iter().sum::<u64>())
            .max()
            .unwrap_or(0);
        let top = nice_ceiling(max);
        let mut svg = String::new();
        let _ = write!(
            svg,
            "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">",
            escape(self.title)
        );
        let _ = write!(svg, "<title>{}</title>", escape(self.title));
        // Gridlines at quarters of the axis, where a quarter is a whole number.
        for value in (0..=4).filter(|i| top * i % 4 == 0).map(|i| top * i / 4) {
            let y = TOP + plot_h - plot_h * value as f64 / top as f64;
            let _ = write!(
                svg,
                "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
                 <text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{value}</text>",
                W - RIGHT,
                LEFT - 6.0,
                y + 4.0
            );
        }
        let slot = plot_w / self.bars.len().max(1) as f64;
        let label_every = self.bars.len().div_ceil(10).max(1);
        for (i, (label, counts)) in self.bars.iter().enumerate() {
            let x = LEFT + slot * i as f64 + slot * 0.1;
            let mut y = TOP + plot_h;
            let mut tip = format!("{label}:");
            for (n, s) in counts.iter().zip(&self.series) {
                let _ = write!(tip, " {n} {},", s.name);
            }
            tip.pop();
            let _ = write!(svg, "<g><title>{}</title>", escape(&tip));
            // An invisible full-height target so short bars still show their tooltip.
            let _ = write!(
                svg,
                "<rect class=\"hit\" x=\"{x:.1}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{plot_h}\"/>",
                slot * 0.8
            );
            for (n, s) in counts.iter().zip(&self.series) {
                if *n == 0 {
                    continue;
                }
                let h = (plot_h * *n as f64 / top as f64).max(1.0);
                y -= h;
                let _ = write!(
                    svg,
                    "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>",
                    s.class,
                    slot * 0.8
                );
            }
            svg.push_str("</g>");
            if i % label_every == 0 {
                let _ = write!(
                    svg,
                    "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    x + slot * 0.4,
                    TOP + plot_h + 16.0,
                    escape(if self.bars.len() > 10 {
                        // Too many bins for ranges: each is labelled by where it starts.
                        label.split('–').next().unwrap_or(label)
                    } else {
                        label
                    })
                );
            }
        }
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
             <text class=\"axis\" x=\"12\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {})\">{}</text>",
            LEFT + plot_w / 2.0,
            H - 8.0,
            escape(self.x_label),
            TOP + plot_h / 2.0,
            TOP + plot_h / 2.0,
            escape(self.y_label)
        );
        let mut lx = LEFT;
        for s in &self.series {
            let _ = write!(
                svg,
                "<rect class=\"{}\" x=\"{lx}\" y=\"8\" width=\"12\" height=\"12\"/>\
                 <text class=\"legend\" x=\"{}\" y=\"18\">{}</text>",
                s.class,
                lx + 16.0,
                escape(s.name)
            );
            lx += 24.0 + 7.5 * s.name.chars().count() as f64;
        }
        svg.push_str("</svg>");
        svg
    }
}

/// The smallest of 1, 2 or 5 times a power of ten that is at least `n` (at least 1), so the
/// axis has round ticks.
fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= n.max(1) {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(1070), 2000);
        assert_eq!(nice_ceiling(200), 200);
    }

    #[test]
    fn jaccard_chart_keeps_every_pair_and_lists_only_filled_bins() {
        let mut h = JaccardHistogram::default();
        h.exact[19] = 4;
        h.near[16] = 2;
        h.contained[3] = 7;
        let chart = Chart::jaccard(&h);
        assert_eq!(chart.total(), h.total());
        let table = chart.markdown();
        assert_eq!(table.lines().count(), 2 + 3, "{table}");
        assert!(table.contains("| 0.15–0.20 | 0 | 0 | 7 | 7 |"), "{table}");
        let svg = chart.svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>0.80–0.85: 0 exact, 2 near, 0 contained</title>"));
    }
}
