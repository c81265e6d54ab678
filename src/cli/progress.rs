//! The indicatif adapter for the library's progress trait: bars on stderr, only when stderr
//! is a terminal and --quiet is off.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use overlap::{Progress, Stage};

/// Four bars: documents read, fingerprinted, candidates verified, story units compared and
/// clustered.
pub struct Bars {
    read: ProgressBar,
    fingerprint: ProgressBar,
    verify: ProgressBar,
    stories: ProgressBar,
}

impl Bars {
    /// Bars drawn on stderr.
    pub fn new() -> Self {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        let counter = |label: &str| {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {label:<13} {{human_pos:>10}} docs  {{elapsed}}"
                ))
                .expect("valid template"),
            );
            bar
        };
        let read = counter("read");
        let fingerprint = counter("fingerprinted");
        let verify = multi.add(ProgressBar::hidden());
        verify.set_style(
            ProgressStyle::with_template(
                "  verified      {wide_bar} {human_pos}/{human_len} pairs",
            )
            .expect("valid template"),
        );
        let stories = multi.add(ProgressBar::hidden());
        stories.set_style(
            ProgressStyle::with_template(
                "  stories       {wide_bar} {human_pos}/{human_len} units compared and clustered",
            )
            .expect("valid template"),
        );
        Self {
            read,
            fingerprint,
            verify,
            stories,
        }
    }

    fn bar(&self, stage: Stage) -> &ProgressBar {
        match stage {
            Stage::Read => &self.read,
            Stage::Fingerprint => &self.fingerprint,
            Stage::Verify => &self.verify,
            Stage::Stories => &self.stories,
        }
    }
}

impl Progress for Bars {
    fn start(&self, stage: Stage, total: Option<u64>) {
        let bar = self.bar(stage);
        if let Some(total) = total {
            bar.set_length(total);
            bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }

    fn advance(&self, stage: Stage, n: u64) {
        self.bar(stage).inc(n);
    }

    fn finish(&self, stage: Stage) {
        self.bar(stage).finish_and_clear();
    }
}
