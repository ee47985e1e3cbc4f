//! Fuzz the pull-request event reader: any bytes as `GITHUB_EVENT_PATH`'s payload give a
//! pull request or an error, never a panic; a base it reads is listed against a repository
//! without that commit without a panic (the base may hold any text, non-ASCII included).
#![no_main]

use assure::records::load::load;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("event.json");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(event) = assure::github::Event::read(Some(&path)) {
        let base = &event.pull_request.base.sha;
        assert!(base.starts_with(assure::git::short_text(base)));
        let Ok(repo) = git2::Repository::init(dir.path()) else { return };
        let head = load("assurance", Vec::new());
        let _ = assure::changes::PullRequest::since(Some(&repo), "assurance", base, &head);
    }
});
