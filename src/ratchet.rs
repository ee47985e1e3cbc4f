//! What a change does to the security position: the findings it introduces and resolves,
//! judged by evaluating the base and the head on the same day. A finding is the same finding
//! when its rule, its record and what in the record it is about agree, whatever its wording
//! or line: so a risk re-worded is not a new finding, and an action moved down the list is
//! not either.

use crate::hash::HashMap;

use crate::finding::{Finding, Severity};

/// A finding's identity across versions: rule, record, subject.
pub fn identity(f: &Finding) -> String {
    let record = f
        .record
        .as_ref()
        .map(|r| format!("{}:{}", r.kind, r.id.as_deref().unwrap_or_default()))
        .unwrap_or_default();
    format!(
        "{}|{record}|{}",
        f.code.as_str(),
        f.subject.as_deref().unwrap_or_default()
    )
}

/// The findings a change introduced and resolved, and how many it left as they were.
#[derive(Debug, Default, Clone)]
pub struct Effect {
    /// In the head, not in the base: worst first.
    pub introduced: Vec<Finding>,
    /// In the base, not in the head.
    pub resolved: Vec<Finding>,
    pub unchanged: usize,
}

impl Effect {
    /// Compare the findings of the base and of the head (both evaluated on one day). A
    /// finding that grew worse (amber to red) is introduced at its new severity.
    pub fn between(base: &[Finding], head: &[Finding]) -> Effect {
        let key = |f: &Finding| (identity(f), f.severity);
        let mut left: HashMap<(String, Severity), usize> = HashMap::default();
        for f in base {
            *left.entry(key(f)).or_default() += 1;
        }
        let mut effect = Effect::default();
        for f in head {
            match left.get_mut(&key(f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    effect.unchanged += 1;
                }
                _ => effect.introduced.push(f.clone()),
            }
        }
        let mut right: HashMap<(String, Severity), usize> = HashMap::default();
        for f in head {
            *right.entry(key(f)).or_default() += 1;
        }
        for f in base {
            match right.get_mut(&key(f)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => effect.resolved.push(f.clone()),
            }
        }
        effect
    }

    /// How many introduced findings are at `severity` or worse.
    pub fn introduced_at(&self, severity: Severity) -> usize {
        self.introduced
            .iter()
            .filter(|f| f.severity >= severity)
            .count()
    }

    /// "resolves 2 findings, introduces 1 (1 red)", or that it changes none.
    pub fn sentence(&self) -> String {
        let count = |n: usize| {
            if n == 1 {
                "1 finding".to_owned()
            } else {
                format!("{n} findings")
            }
        };
        let red = self.introduced_at(Severity::Red);
        let introduced = match (self.introduced.len(), red) {
            (0, _) => None,
            (n, 0) => Some(format!("introduces {}", count(n))),
            (n, r) if r == n => Some(format!("introduces {} (red)", count(n))),
            (n, r) => Some(format!("introduces {} ({r} red)", count(n))),
        };
        let resolved =
            (!self.resolved.is_empty()).then(|| format!("resolves {}", count(self.resolved.len())));
        match (resolved, introduced) {
            (None, None) => "changes no finding".to_owned(),
            (Some(r), None) => r,
            (None, Some(i)) => i,
            (Some(r), Some(i)) => format!("{r}, {i}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Rule};

    fn finding(rule: Rule, severity: Severity, id: &str, message: &str) -> Finding {
        Finding::rule(rule, severity, Location::file("x.yaml"), message)
            .with_record("risk", Some(id))
    }

    #[test]
    fn the_same_finding_reworded_is_unchanged_and_a_worse_one_is_new() {
        let base = [
            finding(Rule::Risk1, Severity::Amber, "R-001", "due in 3 days"),
            finding(Rule::Risk1, Severity::Amber, "R-002", "due in 5 days"),
        ];
        let head = [
            finding(Rule::Risk1, Severity::Amber, "R-001", "due in 2 days"),
            finding(Rule::Risk1, Severity::Red, "R-002", "overdue"),
            finding(Rule::Risk2, Severity::Red, "R-003", "no acceptance"),
        ];
        let effect = Effect::between(&base, &head);
        assert_eq!(effect.unchanged, 1);
        assert_eq!(effect.introduced.len(), 2);
        assert_eq!(effect.resolved.len(), 1);
        assert_eq!(effect.introduced_at(Severity::Red), 2);
        assert_eq!(
            effect.sentence(),
            "resolves 1 finding, introduces 2 findings (red)"
        );
        assert_eq!(Effect::default().sentence(), "changes no finding");
    }
}
