//! Reporting: REPORT-1 a board security update within `board_cadence`.

use super::{Context, Timing, about, relative};
use crate::finding::{Finding, Location, Severity};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let latest = cx
        .set
        .boards
        .iter()
        .filter(|b| b.date <= cx.as_of)
        .max_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let Some(board) = latest else {
        let mut f = cx
            .finding(
                "REPORT-1",
                Severity::Amber,
                Location::default(),
                "no board security update is recorded".to_owned(),
            )
            .with_hint("put security on the programme board's agenda and record the meeting in boards/YYYY-MM-DD.yaml");
        f.record = about("board", None);
        out.push(f);
        return;
    };
    let due = cx.policy.board_cadence.after(board.date);
    let verb = match cx.timing(due) {
        Timing::Overdue(_) => "was due",
        Timing::DueSoon(_) => "is due",
        Timing::InDate => return,
    };
    let mut f = cx
        .finding(
            "REPORT-1",
            Severity::Amber,
            Location::field(&*board.file, "/date"),
            format!(
                "the next board security update {verb} by {due}, {} (the last was {} at {})",
                relative(cx.timing(due)),
                board.date,
                board.board
            ),
        )
        .with_hint("give the board a security update (assure board prepares the pack) and record it in boards/");
    f.due = Some(due);
    f.record = about("board", Some(&board.id));
    out.push(f);
}
