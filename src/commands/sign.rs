//! `assure sign`: write an SRO sign-off bound to the canonical digest of its subject, after
//! checking that it would count. It never overwrites a file.

use std::io::Write;

use super::output_error;
use crate::error::{Error, Exit, Result};
use crate::fsutil;
use crate::records::load::{self, Loaded};
use crate::report::messages;
use crate::sign::{self, Request};
use crate::witness::{self, Authorship};
use crate::workspace::Workspace;

pub fn run(
    workspace: &Workspace,
    request: &Request,
    web: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    let dir = workspace.dir();
    let entries = workspace.records.entries();
    let files: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let loaded = load::load(dir, entries);
    let records = &workspace.records.dir;
    let schema_hint = records.join(".schemas/signoff.schema.json").is_file();
    let authorship = authorship(workspace, &loaded, request)?;
    let prepared = sign::prepare(dir, &loaded, &files, request, &authorship, schema_hint)?;
    people_committed(workspace, &loaded)?;
    let path = crate::source::joined(dir, &prepared.relative);
    if web {
        let link = crate::git::web_location(workspace.repository()?)
            .map(|place| place.new_file_link(&path, &prepared.text))
            .ok_or_else(|| {
                Error::usage(
                    "cannot tell which GitHub repository and branch this is: --web needs an `origin` remote on GitHub and a branch checked out",
                    "add the remote (git remote add origin https://github.com/OWNER/REPO), or sign without --web",
                )
            })?;
        messages::signed_on_the_web(out, &path, &prepared, &link).map_err(output_error)?;
        return Ok(Exit::Ok);
    }
    if !fsutil::write_new(&records.join(&prepared.relative), prepared.text.as_bytes())? {
        return Err(Error::usage(
            format!("{path} already exists; nothing was written"),
            "another sign-off took that number: run the command again",
        ));
    }
    messages::signed(out, &path, &prepared).map_err(output_error)?;
    Ok(Exit::Ok)
}

/// Who wrote the subject, when the policy asks git to witness sign-offs and git can say.
fn authorship(workspace: &Workspace, loaded: &Loaded, request: &Request) -> Result<Authorship> {
    let set = &loaded.records;
    let Some(repo) = &workspace.repo else {
        return Ok(Authorship::Unknown);
    };
    if !set.policy.signoff.any() {
        return Ok(Authorship::Unknown);
    }
    match set
        .subject(&request.subject)
        .and_then(|(file, _)| Some((file, loaded.sources.text(file)?)))
    {
        Some((file, text)) => witness::authorship(repo, workspace.dir(), file, text),
        None => Ok(Authorship::Unknown),
    }
}

/// A sign-off is verified against people.yaml as committed before it, so the people it
/// names must be committed first: otherwise `verify` cannot find the signer.
fn people_committed(workspace: &Workspace, loaded: &Loaded) -> Result<()> {
    let (Some(repo), Some(people)) = (&workspace.repo, &loaded.records.people) else {
        return Ok(());
    };
    if !loaded.records.policy.signoff.any() {
        return Ok(());
    }
    let Some(text) = loaded.sources.text(&people.file) else {
        return Ok(());
    };
    let committed = crate::git::head(repo)
        .and_then(|head| repo.find_commit(head).ok())
        .and_then(|c| c.tree().ok())
        .and_then(|tree| tree.get_path(std::path::Path::new(&*people.file)).ok())
        .and_then(|entry| repo.find_blob(entry.id()).ok())
        .is_some_and(|blob| blob.content() == text.as_bytes());
    if committed {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "{} has changes that are not committed; a sign-off is checked against the people as committed before it",
            people.file
        ),
        "commit people.yaml first (git add, git commit), then sign",
    ))
}
