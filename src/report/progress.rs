//! Progress of long history walks, on standard error, only when it is a terminal.

/// Progress of a long walk, shown on stderr only when it is a terminal: a count of commits
/// read, then a bar for the points of the trend.
pub struct Progress {
    enabled: bool,
    shown: bool,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            shown: false,
        }
    }

    pub fn update(&mut self, stage: &str, done: usize, total: Option<usize>) {
        if !self.enabled {
            return;
        }
        if let Some(line) = progress_line(stage, done, total) {
            eprint!("\r{line}");
            self.shown = true;
        }
    }
}

/// The progress line: a bar when the total is known, else a count of commits once the walk
/// is long enough to be worth one.
fn progress_line(stage: &str, done: usize, total: Option<usize>) -> Option<String> {
    match total {
        Some(total) if total > 0 => {
            let filled = 30 * done.min(total) / total;
            Some(format!(
                "{stage}: [{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            ))
        }
        _ if done >= 2048 => Some(format!("{stage}: {done} commits")),
        _ => None,
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            // Clear the line so the report starts clean.
            eprint!("\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::progress_line;

    #[test]
    fn progress_is_a_bar_when_the_total_is_known_and_a_count_on_long_walks() {
        assert_eq!(
            progress_line("working out the trend", 15, Some(60)).unwrap(),
            format!(
                "working out the trend: [{}{}] 15/60",
                "#".repeat(7),
                " ".repeat(23)
            )
        );
        assert_eq!(
            progress_line("reading history", 4096, None).unwrap(),
            "reading history: 4096 commits"
        );
        // Short walks are not worth a line.
        assert_eq!(progress_line("reading history", 100, None), None);
    }
}
