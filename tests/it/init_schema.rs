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

/// The README's quick start, end to end on a fresh repository: init, edit the placeholders,
/// check, sign, commit, verify. Placeholders are flagged (GOV-6) and refuse a sign-off.
#[test]
fn the_quick_start_walked_end_to_end() {
    let repo = Repo::empty();
    let (code, stdout, _) = run(repo.assure(&[
        "init",
        "--as-of",
        "2026-03-01",
        "--name",
        "Spares Portal",
        "--organisation",
        "Army",
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("A new project starts RED"), "{stdout}");
    let check = |repo: &Repo| {
        let (code, stdout, stderr) = run(repo.assure(&[
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-03-04",
            "--fail-on",
            "never",
        ]));
        assert!(stderr.is_empty(), "{stderr}");
        assert_eq!(code, 0, "{stdout}");
        json(&stdout)
    };
    let rules = |report: &serde_json::Value| -> Vec<String> {
        report["status"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    // The starting set is valid, and says what still holds placeholder text.
    let report = check(&repo);
    assert_eq!(report["valid"], true);
    let placeholders: Vec<&str> = report["status"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GOV-6")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        placeholders,
        [
            "assurance/appetite.yaml",
            "assurance/people.yaml",
            "assurance/project.yaml",
            "assurance/risks/R-001.yaml"
        ]
    );
    // A placeholder SRO cannot sign.
    let sign = [
        "sign",
        "--subject",
        "appetite",
        "--type",
        "appetite_approval",
        "--by",
        "p-sro",
        "--date",
        "2026-03-03",
    ];
    let (code, _, stderr) = run(repo.assure(&sign));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`p-sro` in people.yaml still has the placeholder name or e-mail"),
        "{stderr}"
    );

    // Edit: the real people, service, appetite and risk.
    let edit = |file: &str, pairs: &[(&str, &str)]| {
        let mut text = repo.read(file);
        for (from, to) in pairs {
            assert!(text.contains(from), "{from} in {file}");
            text = text.replace(from, to);
        }
        repo.write(file, text);
    };
    edit(
        "assurance/people.yaml",
        &[
            (
                "Replace with the Senior Responsible Owner's name",
                "Sam Owner",
            ),
            ("sro@replace-me.invalid", "sro@example.gov.uk"),
            (
                "Replace with the Delivery Team Security Lead's name",
                "Lee Lead",
            ),
            ("security.lead@replace-me.invalid", "lead@example.gov.uk"),
        ],
    );
    edit(
        "assurance/project.yaml",
        &[(
            "What the service does and who uses it. Replace this sentence.",
            "Orders spares.",
        )],
    );
    edit(
        "assurance/appetite.yaml",
        &[(
            "Replace with the appetite statement",
            "The appetite statement",
        )],
    );
    edit(
        "assurance/risks/R-001.yaml",
        &[
            ("Example risk - replace with a real one", "Account takeover"),
            ("Replace with a real action", "Turn on MFA"),
        ],
    );
    let report = check(&repo);
    assert!(!rules(&report).contains(&"GOV-6".to_owned()), "{report:#}");
    assert!(rules(&report).contains(&"GOV-4".to_owned()), "{report:#}");
    repo.commit_as(
        ("Lee Lead", "lead@example.gov.uk"),
        "2026-03-02",
        "Our records",
    );

    // The SRO approves the appetite, and commits the sign-off.
    let (code, stdout, stderr) = run(repo.assure(&sign));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("wrote assurance/signoffs/S-0001.yaml: appetite_approval of appetite by Sam Owner (p-sro) on 2026-03-03"),
        "{stdout}"
    );
    repo.commit_as(("Sam Owner", "sro@example.gov.uk"), "2026-03-03", "S-0001");
    let (code, stdout, _) = run(repo.assure(&["verify", "--as-of", "2026-03-04"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("S-0001") && stdout.contains("valid"),
        "{stdout}"
    );
    let report = check(&repo);
    assert!(!rules(&report).contains(&"GOV-4".to_owned()), "{report:#}");
    // What is left is what the README says a new project does next.
    assert!(
        rules(&report).contains(&"ASSESS-1".to_owned()),
        "{report:#}"
    );
}

/// Shell completions and manual pages come from the command line's own definition.
#[test]
fn completions_and_manual_pages() {
    let repo = Repo::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, stdout, stderr) = run(repo.assure(&["completions", shell]));
        assert_eq!(code, 0, "{shell}: {stderr}");
        for word in ["check", "board", "fail-on"] {
            assert!(stdout.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script is a script bash can read.
    let (_, script, _) = run(repo.assure(&["completions", "bash"]));
    let file = repo.file("assure.bash");
    std::fs::write(&file, &script).unwrap();
    let parsed = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status();
    assert!(parsed.is_ok_and(|s| s.success()), "bash -n");
    let (code, _, stderr) = run(repo.assure(&["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");

    let (code, page, _) = run(repo.assure(&["man"]));
    assert_eq!(code, 0);
    assert!(
        page.contains(".TH assure 1") && page.contains("check"),
        "{page}"
    );
    let out = repo.file("man");
    std::fs::create_dir(&out).unwrap();
    let (code, stdout, _) = run(repo.assure(&["man", "--out", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{stdout}");
    let check = std::fs::read_to_string(out.join("assure-check.1")).unwrap();
    assert!(
        check.contains(".TH assure-check 1")
            && check.contains("fail\\-on")
            && check.contains("\\fB\\-\\-dir\\fR \\fI<PATH>\\fR"),
        "{check}"
    );
    assert!(out.join("assure.1").is_file() && out.join("assure-board.1").is_file());
}
