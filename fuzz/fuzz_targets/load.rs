//! Fuzz the record loader: any bytes, in any record's place, must give findings with real
//! positions and never a panic, a hang or a stack overflow.
#![no_main]

use assure::records::load::load;
use assure::source::{Content, Entry};
use libfuzzer_sys::fuzz_target;

const PLACES: [&str; 4] = ["risks/R-001.yaml", "project.yaml", "people.yaml", "signoffs/S-0001.yaml"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let relative = PLACES[usize::from(selector) % PLACES.len()];
    let entry = Entry {
        path: format!("assurance/{relative}"),
        relative: relative.to_owned(),
        content: Content::Bytes(bytes.to_vec()),
    };
    let loaded = load("assurance", vec![entry]);
    for problem in &loaded.problems {
        let position = problem.location.position.expect("every problem has a position");
        assert!(position.line >= 1 && position.column >= 1);
    }
});
