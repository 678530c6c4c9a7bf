//! `cargo xtask diff`: what changed in the public API of the generated crate between the schemas
//! at a git revision and the working tree, as Markdown (for a pull request) or JSON.

use crate::workspace_root;
use codegen::api_diff::{compare, Change, Impact};
use codegen::Config;
use std::path::Path;
use std::process::{Command, ExitCode};

pub const USAGE: &str = "cargo xtask diff --base REV [--schemas DIR] [--format markdown|json]
                        [--fail-on breaking]

  --base REV         the git revision whose schemas/ the working tree's are compared with
  --schemas DIR      the schemas to compare with it (default: the working tree's schemas/)
  --format F         markdown (default, for a pull request) or json
  --fail-on breaking exit non-zero when a change breaks compilation or breaks at run time";

pub fn run(args: &[String]) -> ExitCode {
    let (mut base, mut json, mut fail_on_breaking) = (None, false, false);
    let root = workspace_root();
    let mut schemas = root.join("schemas");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next().map(String::as_str)) {
            ("--base", Some(rev)) => base = Some(rev.to_owned()),
            ("--schemas", Some(dir)) => schemas = std::path::PathBuf::from(dir),
            ("--format", Some("json")) => json = true,
            ("--format", Some("markdown")) => json = false,
            ("--fail-on", Some("breaking")) => fail_on_breaking = true,
            _ => {
                eprintln!("usage: {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(base) = base else {
        eprintln!("usage: {USAGE}");
        return ExitCode::from(2);
    };
    let old_dir = root.join("target/api-diff").join("base");
    let _ = std::fs::remove_dir_all(&old_dir);
    if let Err(e) = checkout_schemas(&root, &base, &old_dir) {
        eprintln!("cannot read schemas/ at {base}: {e}");
        return ExitCode::FAILURE;
    }
    let manifest = |schemas: &Path| -> Result<serde_json::Value, String> {
        let text = Config::new(schemas)
            .api_manifest()
            .map_err(|f| f.to_string())?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    };
    let (old, new) = match (manifest(&old_dir.join("schemas")), manifest(&schemas)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) => {
            eprintln!("the schemas at {base} do not generate:\n{e}");
            return ExitCode::FAILURE;
        }
        (_, Err(e)) => {
            eprintln!("the working tree's schemas do not generate:\n{e}");
            return ExitCode::FAILURE;
        }
    };
    let changes = compare(&old, &new);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&as_json(&changes)).unwrap_or_default()
        );
    } else {
        print!("{}", markdown(&base, &changes));
    }
    let breaking = changes.iter().any(|c| c.impact != Impact::Additive);
    if fail_on_breaking && breaking {
        eprintln!("a change breaks code that uses the crate");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `schemas/` as it is at `rev`, unpacked under `dir`.
fn checkout_schemas(root: &Path, rev: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let archive = Command::new("git")
        .args(["archive", "--format=tar", rev, "--", "schemas"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        return Err(String::from_utf8_lossy(&archive.stderr).trim().to_owned());
    }
    let tar = dir.join("schemas.tar");
    std::fs::write(&tar, &archive.stdout).map_err(|e| e.to_string())?;
    let unpacked = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(dir)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if unpacked.success() {
        Ok(())
    } else {
        Err("tar could not unpack the schemas".into())
    }
}

fn as_json(changes: &[Change]) -> serde_json::Value {
    serde_json::Value::Array(
        changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "module": c.module,
                    "impact": match c.impact {
                        Impact::BreaksCompilation => "breaks-compilation",
                        Impact::BreaksAtRunTime => "breaks-at-run-time",
                        Impact::Additive => "additive",
                    },
                    "origin": c.origin,
                    "message": c.message,
                })
            })
            .collect(),
    )
}

fn markdown(base: &str, changes: &[Change]) -> String {
    let mut out = format!("## Public API changes against `{base}`\n\n");
    if changes.is_empty() {
        out.push_str("No change to the generated crate's public API.\n");
        return out;
    }
    let mut module = None;
    let mut impact = None;
    for c in changes {
        if module != Some(&c.module) {
            out.push_str(&format!("### `{}`\n\n", c.module));
            module = Some(&c.module);
            impact = None;
        }
        if impact != Some(c.impact) {
            out.push_str(&format!("**{}**\n\n", c.impact.heading()));
            impact = Some(c.impact);
        }
        if c.origin.is_empty() {
            out.push_str(&format!("- {}\n", c.message));
        } else {
            out.push_str(&format!("- {} (`{}`)\n", c.message, c.origin));
        }
    }
    out
}
