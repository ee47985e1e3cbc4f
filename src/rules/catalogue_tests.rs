//! The rule catalogue itself.

use super::*;

#[test]
fn rule_ids_are_unique_and_well_formed() {
    let mut ids: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CATALOGUE.len());
    for id in ids {
        let (prefix, n) = id.split_once('-').unwrap();
        assert!(
            ["ASSESS", "GOV", "RISK", "ACT", "SIGN", "REPORT"].contains(&prefix),
            "{id}"
        );
        assert!(n.parse::<u8>().is_ok(), "{id}");
    }
    // Rule ids never collide with record error codes.
    for code in crate::finding::code::ALL {
        assert!(CATALOGUE.iter().all(|r| r.id != *code));
    }
}
