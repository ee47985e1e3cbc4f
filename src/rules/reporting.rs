//! Reporting: REPORT-1 a board security update within `board_cadence`: amber when due soon
//! or late, red once `board_red_after` late.

use super::{Context, relative};
use crate::finding::{Finding, Location, Rule, Severity};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(board) = crate::records::latest(&cx.set.boards, cx.as_of) else {
        out.push(Finding::rule(
                Rule::Report1,
                Severity::Amber,
                Location::default(),
                "no board security update is recorded".to_owned(),
            )
            .with_hint("put security on the programme board's agenda and record the meeting in boards/YYYY-MM-DD.yaml").with_record("board", None));
        return;
    };
    let due = cx.policy.board_cadence.after(board.date);
    let timing = cx.timing(due);
    let Some(mut severity) = timing.severity() else {
        return;
    };
    // Late is amber at first; long late, red.
    if severity == Severity::Red && cx.as_of <= cx.policy.board_red_after.after(due) {
        severity = Severity::Amber;
    }
    out.push(Finding::rule(
            Rule::Report1,
            severity,
            Location::field(&*board.file, "/date"),
            format!(
                "the next board security update {} due by {due}, {} (the last was {} at {})",
                timing.tense(),
                relative(timing),
                board.date,
                board.board
            ),
        )
        .with_hint("give the board a security update (assure board prepares the pack) and record it in boards/").due(due).with_record("board", Some(&board.id)));
}
