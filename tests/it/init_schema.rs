//! `assure init` and `assure schema`.

use crate::common::*;

#[test]
fn init_scaffolds_a_valid_commented_set() {
    let repo = Repo::empty();
    let (code, stdout, _) = run(repo.assure(&[
        "init",
        "--as-of",
        "2026-03-01",
        "--name",
        "Ordering: Portal",
        "--organisation",
        "Navy",
    ]));
    assert_eq!(code, 0, "{stdout}");
    for file in [
        "project.yaml",
        "people.yaml",
        "appetite.yaml",
        "risks/R-001.yaml",
    ] {
        assert!(
            stdout.contains(&format!("created assurance/{file}")),
            "{stdout}"
        );
    }
    assert!(
        stdout.contains("next: replace the placeholders"),
        "{stdout}"
    );
    let project = repo.read("assurance/project.yaml");
    assert!(project.starts_with("# yaml-language-server: $schema=.schemas/project.schema.json\n"));
    assert!(
        project.contains("name: \"Ordering: Portal\""),
        "names are quoted safely"
    );
    assert!(
        repo.read("assurance/risks/R-001.yaml")
            .starts_with("# yaml-language-server: $schema=../.schemas/risk.schema.json\n")
    );
    assert!(
        repo.read("assurance/appetite.yaml")
            .contains("agreed_on: 2026-03-01")
    );
    assert!(
        repo.read("assurance/risks/R-001.yaml")
            .contains("due: 2026-04-01")
    );
    for kind in [
        "project",
        "people",
        "appetite",
        "risk",
        "assessment",
        "signoff",
        "event",
        "board",
    ] {
        let schema = repo.read(&format!("assurance/.schemas/{kind}.schema.json"));
        assert!(schema.contains(&format!("urn:assure:schema:v1:{kind}")));
    }
    for folder in ["assessments", "signoffs", "events", "boards"] {
        assert!(repo.file(&format!("assurance/{folder}")).is_dir());
    }
    let (code, stdout, _) =
        run(repo.assure(&["check", "--as-of", "2026-03-01", "--fail-on", "never"]));
    assert_eq!(code, 0, "the starting set is valid: {stdout}");
}

#[test]
fn init_never_overwrites() {
    let repo = Repo::empty();
    repo.write("assurance/people.yaml", "kind: people\n# mine\n");
    let (code, stdout, _) = run(repo.assure(&["init", "--as-of", "2026-03-01"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("kept    assurance/people.yaml (it already exists)"),
        "{stdout}"
    );
    assert_eq!(repo.read("assurance/people.yaml"), "kind: people\n# mine\n");
    let project = repo.read("assurance/project.yaml");
    let (_, stdout, _) = run(repo.assure(&["init", "--as-of", "2027-01-01", "--name", "Other"]));
    assert!(stdout.contains("nothing to do"), "{stdout}");
    assert_eq!(repo.read("assurance/project.yaml"), project);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(repo.file("assurance"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn init_with_dir() {
    let repo = Repo::empty();
    let (code, _, _) = run(repo.assure(&["init", "--dir", "docs/sbd", "--as-of", "2026-03-01"]));
    assert_eq!(code, 0);
    assert!(repo.file("docs/sbd/project.yaml").is_file());
    let (code, stdout, _) = run(repo.assure(&["check", "--dir", "docs/sbd", "--fail-on", "never"]));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn schema_prints_one_kind_or_lists_them() {
    let repo = Repo::empty();
    let (code, stdout, _) = run(repo.assure(&["schema", "risk"]));
    assert_eq!(code, 0);
    let schema = json(&stdout);
    assert_eq!(schema["$id"], "urn:assure:schema:v1:risk");
    assert_eq!(
        stdout,
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/risk.schema.json"
        ))
        .unwrap()
    );
    let (code, stdout, _) = run(repo.assure(&["schema"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("signoff     urn:assure:schema:v1:signoff"),
        "{stdout}"
    );
    let (code, _, stderr) = run(repo.assure(&["schema", "rsk"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown record kind"), "{stderr}");
}

#[test]
fn schema_out_writes_every_schema() {
    let repo = Repo::empty();
    let (code, stdout, _) = run(repo.assure(&["schema", "--out", "out/schemas"]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 8);
    for kind in [
        "project",
        "people",
        "appetite",
        "risk",
        "assessment",
        "signoff",
        "event",
        "board",
    ] {
        let written = repo.read(&format!("out/schemas/{kind}.schema.json"));
        let shipped = std::fs::read_to_string(format!(
            "{}/schemas/{kind}.schema.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(written, shipped);
    }
    // Running again replaces them in place.
    let (code, _, _) = run(repo.assure(&["schema", "--out", "out/schemas"]));
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_dir(repo.file("out/schemas")).unwrap().count(),
        8
    );
}

/// An outside opinion: check-jsonschema accepts our schemas against the
/// 2020-12 metaschema, accepts the example records, and rejects what we reject.
#[test]
fn check_jsonschema_agrees_when_installed() {
    let Some(checker) = validator("check-jsonschema") else {
        return;
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let schemas: Vec<String> = std::fs::read_dir(format!("{root}/schemas"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let status = std::process::Command::new(&checker)
        .arg("--check-metaschema")
        .args(&schemas)
        .status()
        .unwrap();
    assert!(status.success(), "our schemas fail the metaschema");
    let example = format!("{root}/examples/logistics-portal/assurance");
    let risks: Vec<String> = std::fs::read_dir(format!("{example}/risks"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let status = std::process::Command::new(&checker)
        .args(["--schemafile", &format!("{root}/schemas/risk.schema.json")])
        .args(&risks)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "check-jsonschema rejects the example risks"
    );
    let repo = Repo::empty();
    repo.write(
        "bad.yaml",
        risk("R-001").replace("identified: 2026-01-05", "identified: 2026-02-30"),
    );
    let status = std::process::Command::new(&checker)
        .args(["--schemafile", &format!("{root}/schemas/risk.schema.json")])
        .arg(repo.file("bad.yaml"))
        .output()
        .unwrap();
    assert!(
        !status.status.success(),
        "check-jsonschema accepts 2026-02-30"
    );
}
