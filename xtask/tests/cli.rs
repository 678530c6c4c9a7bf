//! The `cargo xtask codegen` command line, run as a real process on bad and good inputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// A copy of the shipped `schemas/` in `dir`, to edit.
fn copy_schemas(root: &Path, dir: &Path) -> PathBuf {
    let copy = dir.join("schemas");
    let status = Command::new("cp")
        .arg("-r")
        .arg(root.join("schemas"))
        .arg(&copy)
        .status()
        .expect("cp");
    assert!(status.success());
    copy
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .output()
        .expect("xtask runs")
}

/// An output folder with a file in it that a failed run must leave alone.
fn previous_output(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("src")).expect("create out");
    std::fs::write(out.join("src/lib.rs"), "// the previous generation\n").expect("write");
    out
}

fn assert_failed_cleanly(output: &Output, out: &Path, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "must fail:\n{stderr}");
    for needle in expected {
        assert!(
            stderr.contains(needle),
            "stderr lacks {needle:?}:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    let kept =
        std::fs::read_to_string(out.join("src/lib.rs")).expect("previous output is still there");
    assert_eq!(kept, "// the previous generation\n");
    assert_eq!(
        std::fs::read_dir(out).expect("out").count(),
        1,
        "nothing was added to the output"
    );
}

fn run_on(dir: &Path, file: &str, text: &str) -> (Output, PathBuf) {
    let schemas = dir.join("schemas");
    std::fs::create_dir_all(&schemas).expect("create schemas");
    std::fs::write(schemas.join(file), text).expect("write schema");
    let out = previous_output(dir);
    let output = codegen(&[
        "--schemas",
        schemas.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    (output, out)
}

/// A package name cargo would refuse (`c2-intercom-2.16`) is said before any work, with why;
/// the output is left as it was.
#[test]
fn an_invalid_crate_name_is_refused_up_front() {
    let dir = scratch("crate-name");
    let out = previous_output(&dir);
    for (name, why) in [
        ("c2-intercom-2.16", "`.` is not allowed"),
        ("2fa-models", "it starts with a digit"),
        (
            "self",
            "Rust code would name it `self`, a keyword or no identifier",
        ),
    ] {
        let output = codegen(&[
            "--schemas",
            dir.join("nowhere").to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--crate-name",
            name,
        ]);
        let message = format!("`{name}` is not a valid package name: {why}");
        assert_failed_cleanly(&output, &out, &["--crate-name", &message]);
        assert!(!String::from_utf8_lossy(&output.stderr).contains("internal error"));
    }
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let dir = scratch("malformed");
    let (output, out) = run_on(
        &dir,
        "bad.json",
        "{\n  \"type\": \"object\",\n  \"properties\": {,}\n}\n",
    );
    assert_failed_cleanly(
        &output,
        &out,
        &["bad.json:3:18", "malformed JSON", "left as it was"],
    );
}

#[test]
fn dangling_ref_names_file_pointer_and_position() {
    let dir = scratch("dangling");
    let text = "{\n  \"title\": \"Thing\",\n  \"type\": \"object\",\n  \"properties\": {\n    \"owner\": { \"$ref\": \"person.json\" }\n  }\n}\n";
    let (output, out) = run_on(&dir, "thing.json", text);
    assert_failed_cleanly(
        &output,
        &out,
        &[
            "thing.json:5:14",
            "/properties/owner",
            "dangling `$ref` \"person.json\"",
        ],
    );
}

#[test]
fn unknown_type_names_file_pointer_and_position() {
    let dir = scratch("unknown-type");
    let text = "{\n  \"title\": \"Thing\",\n  \"type\": \"object\",\n  \"properties\": {\n    \"name\": { \"type\": \"strnig\" }\n  }\n}\n";
    let (output, out) = run_on(&dir, "thing.json", text);
    assert_failed_cleanly(
        &output,
        &out,
        &[
            "thing.json:5:23",
            "/properties/name/type",
            "unknown type `strnig`",
        ],
    );
}

#[test]
fn check_reports_a_diff_when_the_output_is_stale() {
    let dir = scratch("check");
    let schemas = dir.join("schemas");
    std::fs::create_dir_all(&schemas).expect("create");
    std::fs::write(
        schemas.join("thing.json"),
        r#"{"title":"Thing","type":"object","properties":{"a":{"type":"string"}}}"#,
    )
    .expect("write");
    let out = dir.join("out");
    let args = [
        "--schemas",
        schemas.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ];
    assert!(codegen(&args).status.success());
    let mut check = args.to_vec();
    check.push("--check");
    assert!(
        codegen(&check).status.success(),
        "fresh output passes --check"
    );
    std::fs::write(
        schemas.join("thing.json"),
        r#"{"title":"Thing","type":"object","properties":{"b":{"type":"string"}}}"#,
    )
    .expect("write");
    let stale = codegen(&check);
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert!(!stale.status.success());
    assert!(
        stdout.contains("+    pub b:") && stdout.contains("-    pub a:"),
        "{stdout}"
    );
}

/// `cargo xtask codegen` of one file of the workspace (`spec`, relative to its root) into a
/// standalone crate `name` in a fresh scratch folder, which must succeed; the crate's folder and
/// what the run printed on stderr.
fn standalone(spec: &str, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let out = scratch(name).join(name);
    let spec = workspace.join(spec);
    let mut args = vec![
        "--schemas",
        spec.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    let output = codegen(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (out, stderr)
}

#[test]
fn a_single_openapi_file_becomes_a_standalone_crate_that_builds() {
    let (out, _) = standalone(
        "schemas/chatwoot/openapi.json",
        "chatwoot-models",
        &["--crate-name", "chatwoot-models"],
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"chatwoot-models\"") && manifest.contains("[workspace]"));
    check_without_warnings(&out, &[]);
}

/// A field compiled out (an error answer's property naming another group's resource): the crate
/// builds with the error's group alone, with the resource's, and whole.
#[test]
fn an_error_naming_another_groups_resource_builds_with_either_group_alone() {
    let (out, _) = standalone("codegen/tests/features/billing.json", "billing-models", &[]);
    let source = std::fs::read_to_string(out.join("src/billing.rs")).expect("billing.rs");
    assert!(source.contains("#[cfg(feature = \"billing-intents\")]\n    pub intent:"));
    for features in ["billing-prices", "billing-intents", "billing-refunds"] {
        check_without_warnings(&out, &["--no-default-features", "--features", features]);
    }
    check_without_warnings(&out, &["--features", "schemars"]);
}

#[test]
fn the_shipped_schemas_in_validating_mode_build_without_warnings() {
    let (out, stderr) = standalone("schemas", "validating-models", &["--validate"]);
    assert!(
        !stderr.contains("warning:"),
        "every parameter and pagination path survives: {stderr}"
    );
    assert!(
        stderr.contains(
            "summary: 12 operations generated, 0 left out; 3 webhooks generated, 0 left out; 0 parameters and 0 bodies left out; 0 schemas untyped; 0 warnings"
        ),
        "{stderr}"
    );
    check_without_warnings(&out, &["--features", "client"]);
}

/// `cargo check` of a generated crate with warnings as errors, in a target folder these tests share
/// (so the dependencies are built once).
fn check_without_warnings(crate_dir: &Path, extra: &[&str]) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let build = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline"])
        .args(extra)
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            workspace.join("target/standalone-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

/// `cargo xtask diff`: the shipped schemas at `HEAD` against an edited copy.
#[test]
fn diff_reports_what_a_schema_change_breaks_and_can_fail_on_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let has_git = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&root)
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_git {
        eprintln!("not a git checkout: nothing to compare with");
        return;
    }
    let dir = scratch("diff");
    let copy = copy_schemas(&root, &dir);
    let call = copy.join("sakari/call.json");
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&call).expect("read")).expect("JSON");
    schema["required"]
        .as_array_mut()
        .expect("required")
        .push("duration".into());
    std::fs::write(&call, schema.to_string()).expect("write");
    let diff = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["diff", "--base", "HEAD", "--schemas"])
            .arg(&copy)
            .args(extra)
            .output()
            .expect("xtask runs")
    };
    let output = diff(&[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(
            "### `sakari`\n\n**breaks compilation**\n\n- field `Call.duration` changed presence: \
             optional → required (`sakari/call.json#/properties/duration`)"
        ),
        "{stdout}"
    );
    let output = diff(&["--fail-on", "breaking", "--format", "json"]);
    assert!(
        !output.status.success(),
        "a breaking change fails the command"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report[0]["impact"], "breaks-compilation");
    assert_eq!(report[0]["origin"], "sakari/call.json#/properties/duration");
}

/// `cargo xtask distill`: clean on the shipped pages, failing with the page line on an edited one,
/// and a draft for a page.
#[test]
fn distill_checks_the_pages_and_drafts_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let distill = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("distill")
            .args(args)
            .output()
            .expect("xtask runs")
    };
    let clean = distill(&["--check"]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    assert!(String::from_utf8_lossy(&clean.stderr).contains("5 pages held against"));

    let dir = scratch("distill");
    let copy = copy_schemas(&root, &dir);
    let page = copy.join("sakari/pages/list-calls.txt");
    let text = std::fs::read_to_string(&page).expect("page");
    std::fs::write(
        &page,
        text.replace("Required range: x >= 0", "Required range: x >= 1"),
    )
    .expect("write");
    let edited = distill(&["--check", "--schemas", copy.to_str().expect("UTF-8 path")]);
    assert!(!edited.status.success(), "a difference fails the check");
    let stdout = String::from_utf8_lossy(&edited.stdout);
    let line = 1 + text
        .lines()
        .position(|l| l == "Required range: x >= 0")
        .expect("the range");
    assert!(
        stdout.contains(&format!(
            "list-calls.txt:{line}: differs: parameter `offset`: minimum is 1 on the page, 0 in the schema"
        )),
        "{stdout}"
    );

    let draft = distill(&[root
        .join("schemas/textus/pages/get-conversation.txt")
        .to_str()
        .expect("UTF-8 path")]);
    assert!(draft.status.success());
    let draft: serde_json::Value = serde_json::from_slice(&draft.stdout).expect("JSON");
    assert_eq!(
        draft["paths"]["/conversations/{conversation}"]["get"]["operationId"],
        "getConversation"
    );
}
