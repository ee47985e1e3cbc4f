//! Plain words for the board: the rules' messages are written for the delivery team, with
//! person ids, policy keys, ISO 8601 durations and the commands that fix things. A board
//! reads names, "every 3 months" and what is asked, so the pack puts the text through here.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::records::RecordSet;

/// Policy keys, and what a board calls them.
const POLICY_WORDS: &[(&str, &str)] = &[
    (
        "event_reassessment",
        "the time allowed to reassess after an event",
    ),
    ("assessment_interval", "the assessment interval"),
    ("board_cadence", "the board's reporting interval"),
    (
        "board_red_after",
        "the grace allowed for a late board update",
    ),
    ("acceptance_max", "the longest a risk acceptance may run"),
    ("appetite_review", "the appetite's review interval"),
    ("action_red_after", "the grace allowed for a late action"),
    ("milestone_horizon", "the notice needed before a milestone"),
    (
        "independent_interval",
        "the interval between independent assessments",
    ),
    (
        "sro_handover",
        "the time a new SRO has to reconfirm acceptances",
    ),
    ("review_interval", "the review interval"),
    ("due_soon", "the warning period"),
];

/// Rewrites text for people who do not read the records: names for ids, words for
/// durations and policy keys, and no command lines or digests.
pub struct Plain {
    /// Each person's id, name, and how the board knows them: "Col Ada Okafor (SRO)".
    people: Vec<(String, String, String)>,
    /// A search for each person's id, in the same order.
    searches: Vec<Finder<'static>>,
}

/// A search for each of the words replaced whoever the people are, made once.
struct Searches {
    policy: Vec<Finder<'static>>,
    record: Vec<Finder<'static>>,
    sro: Finder<'static>,
}

static SEARCHES: LazyLock<Searches> = LazyLock::new(|| {
    let each = |words: &'static [(&'static str, &'static str)]| {
        words.iter().map(|(word, _)| Finder::new(word)).collect()
    };
    Searches {
        policy: each(POLICY_WORDS),
        record: each(RECORD_WORDS),
        sro: Finder::new("sro"),
    }
});

/// The records' own words for kinds and roles, as a board says them.
const RECORD_WORDS: &[(&str, &str)] = &[
    ("appetite_approval", "appetite approval"),
    ("report_approval", "report approval"),
    ("risk_acceptance", "risk acceptance"),
    ("risk:", "risk "),
    ("assessment:", "assessment "),
    ("security_lead", "Delivery Team Security Lead"),
    ("project_security_officer", "Project Security Officer"),
    ("delivery_lead", "Delivery Lead"),
    ("information_asset_owner", "information asset owner"),
    ("risk_owner", "risk owner"),
    ("not_needed", "not needed"),
    ("go_live", "go-live"),
    ("in_service", "in service"),
];

impl Plain {
    pub fn new(set: &RecordSet, as_of: crate::dates::Date) -> Plain {
        let people: Vec<(String, String, String)> = set
            .all_people()
            .iter()
            .map(|p| (p.id.clone(), p.name.clone(), person(p, as_of)))
            .collect();
        Plain::with_people(people)
    }

    /// For `people`: each id, name, and how the board knows them.
    fn with_people(mut people: Vec<(String, String, String)>) -> Plain {
        // Longest ids first, so that `p-ann` never eats part of `p-anne`.
        people.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        let searches = people
            .iter()
            .map(|(id, ..)| Finder::new(id).into_owned())
            .collect();
        Plain { people, searches }
    }

    /// How the board knows `id`: name and role, or the id when no one has it.
    pub fn name(&self, id: &str) -> String {
        self.people
            .iter()
            .find(|(p, ..)| p == id)
            .map_or_else(|| id.to_owned(), |(.., shown)| shown.clone())
    }

    /// `text` in plain words. A board pack puts thousands of messages through here, most
    /// holding few of the words replaced: each is looked for (with a search made once)
    /// before the text is copied to replace it.
    pub fn words(&self, text: &str) -> String {
        let mut out = without_commands(text);
        out = without_digests(&out);
        for ((key, words), search) in POLICY_WORDS.iter().zip(&SEARCHES.policy) {
            if search.find(out.as_bytes()).is_some() {
                out = out.replace(&format!("`{key}`"), words).replace(key, words);
            }
        }
        out = durations(&out);
        for (person, search) in self.people.iter().zip(&self.searches) {
            let (id, name, shown) = person;
            if search.find(out.as_bytes()).is_some() {
                // "p-brown (Lt Col Sam Brown)" and "Lt Col Sam Brown (p-brown)" name them once.
                out = out.replace(&format!("{id} ({name})"), shown);
                out = out.replace(&format!("{name} ({id})"), shown);
                out = replace_word(&out, id, shown);
            }
        }
        for ((word, said), search) in RECORD_WORDS.iter().zip(&SEARCHES.record) {
            if search.find(out.as_bytes()).is_some() {
                out = out.replace(word, said);
            }
        }
        if SEARCHES.sro.find(out.as_bytes()).is_some() {
            out = replace_word(&out, "sro", "SRO");
        }
        // Code quotes mean nothing on paper.
        if memchr::memchr(b'`', out.as_bytes()).is_some() {
            out = out.replace('`', "");
        }
        out
    }
}

/// "Col Ada Okafor (SRO)": a person's name and their main role on the day.
fn person(p: &crate::records::Person, as_of: crate::dates::Date) -> String {
    use crate::records::Role;
    let role = [
        (Role::Sro, "SRO"),
        (Role::SecurityLead, "Delivery Team Security Lead"),
        (Role::ProjectSecurityOfficer, "Project Security Officer"),
        (Role::DeliveryLead, "Delivery Lead"),
        (Role::RiskOwner, "risk owner"),
    ]
    .into_iter()
    .find(|(role, _)| p.holds(*role, as_of));
    match role {
        Some((_, role)) => format!("{} ({role})", p.name),
        None => p.name.clone(),
    }
}

/// Replace `word` where it stands alone (not inside a longer id or word).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        // A full stop ends a sentence as often as it joins a name.
        let after_joins =
            after.is_some_and(|c| part(c) && !(c == '.' && is_end(&rest[at + word.len()..])));
        out.push_str(&rest[..at]);
        if before.is_some_and(part) || after_joins {
            out.push_str(word);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Whether `rest` (starting with a full stop) ends a sentence.
fn is_end(rest: &str) -> bool {
    rest[1..].chars().next().is_none_or(char::is_whitespace)
}

/// Text without the commands that fix things: "(assure board prepares the pack)" and
/// ": assure sign --subject …" are for the team, not the board.
fn without_commands(text: &str) -> String {
    let mut out = text.to_owned();
    // Parenthesised asides that hold a command.
    while let Some(open) = out.find("(assure ").or_else(|| out.find("(`assure ")) {
        let close = out[open..].find(')').map_or(out.len(), |c| open + c + 1);
        let start = if out[..open].ends_with(' ') {
            open - 1
        } else {
            open
        };
        out.replace_range(start..close, "");
    }
    // A command given after a colon or a dash ends the useful text.
    for marker in [
        ": `assure ",
        ": assure ",
        " — assure ",
        "; assure ",
        ", `assure ",
    ] {
        if let Some(at) = out.find(marker) {
            out.truncate(at);
        }
    }
    out.trim_end().to_owned()
}

/// Text without content digests (`sha256:869513c8abe1…`), which mean nothing on paper: a
/// bracketed aside that holds one goes whole.
fn without_digests(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(at) = out.find("sha256:") {
        let open = out[..at].rfind('(').filter(|&o| !out[o..at].contains(')'));
        let close = out[at..].find(')').map(|c| at + c);
        let (mut start, stop) = match (open, close) {
            (Some(o), Some(c)) => (o, c + 1),
            _ => {
                let end = out[at..]
                    .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')'))
                    .map_or(out.len(), |e| at + e);
                (at, end)
            }
        };
        while out[..start].ends_with(' ') {
            start -= 1;
        }
        out.replace_range(start..stop, "");
    }
    out
}

/// ISO 8601 durations in words: "every P1M" is "monthly", "within P30D" "within 30 days".
fn durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('P') {
        let tail = &rest[at + 1..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let unit = tail[digits..].chars().next();
        let boundary_before = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let boundary_after = tail[digits..]
            .chars()
            .nth(1)
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let (Some(unit @ ('D' | 'W' | 'M' | 'Y')), true, true, true) =
            (unit, digits > 0, boundary_before, boundary_after)
        else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        };
        let n: u64 = tail[..digits].parse().unwrap_or(0);
        let (one, many, every_one) = match unit {
            'D' => ("day", "days", "daily"),
            'W' => ("week", "weeks", "weekly"),
            'M' => ("month", "months", "monthly"),
            _ => ("year", "years", "yearly"),
        };
        let before = &rest[..at];
        if let Some(lead) = before.strip_suffix("every ") {
            out.push_str(lead);
            if n == 1 {
                out.push_str(every_one);
            } else {
                out.push_str(&format!("every {n} {many}"));
            }
        } else {
            out.push_str(before);
            out.push_str(&if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            });
        }
        rest = &tail[digits + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_words() {
        assert_eq!(durations("High risks every P1M"), "High risks monthly");
        assert_eq!(
            durations("within P30D of a change, every P3M"),
            "within 30 days of a change, every 3 months"
        );
        assert_eq!(
            durations("PDF P1Y, APPLE P2W."),
            "PDF 1 year, APPLE 2 weeks."
        );
        assert_eq!(durations("SP3M and P3Mx"), "SP3M and P3Mx");
    }

    #[test]
    fn commands_and_digests_are_left_out() {
        assert_eq!(
            without_commands(
                "give the board a security update (assure board prepares the pack) and record it in boards/"
            ),
            "give the board a security update and record it in boards/"
        );
        assert_eq!(
            without_commands("have the SRO approve it: assure sign --subject appetite --by p-sro"),
            "have the SRO approve it"
        );
        assert_eq!(
            without_digests("signed content changed (sha256:869513c8abe1…) since"),
            "signed content changed since"
        );
        assert_eq!(
            without_digests("changed since 2026-03-12 (signed sha256:86951…, now sha256:11aa…)."),
            "changed since 2026-03-12."
        );
    }

    #[test]
    fn a_message_is_put_in_the_boards_words() {
        let plain = Plain::with_people(
            [
                ("p-ann", "Ann Lee", "Ann Lee (SRO)"),
                ("p-anne", "Anne Roy", "Anne Roy (Security Lead)"),
            ]
            .map(|(id, name, shown)| (id.to_owned(), name.to_owned(), shown.to_owned()))
            .into(),
        );
        assert_eq!(
            plain.words(
                "risk:R-001 accepted by p-anne (Anne Roy) past `acceptance_max`; the sro p-ann \
                 gives a risk_acceptance within review_interval"
            ),
            "risk R-001 accepted by Anne Roy (Security Lead) past the longest a risk acceptance \
             may run; the SRO Ann Lee (SRO) gives a risk acceptance within the review interval"
        );
        let untouched = "risk R-002 is above tolerance, reviewed 2026-11-01";
        assert_eq!(plain.words(untouched), untouched);
        // A name with the id after it is one person, named once.
        assert_eq!(
            plain.words("Ann Lee (p-ann) was to reconfirm it"),
            "Ann Lee (SRO) was to reconfirm it"
        );
    }

    #[test]
    fn ids_become_names_only_where_they_stand_alone() {
        assert_eq!(
            replace_word("p-ann and p-anne; p-ann.", "p-ann", "Ann"),
            "Ann and p-anne; Ann."
        );
    }
}
