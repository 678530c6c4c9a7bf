//! `cargo xtask conformance`: the JSON Schema Test Suite against the generator.
//!
//! Every group of the suite's draft2020-12 and draft7 keyword files becomes one module of one crate
//! (generated in validating mode); a harness deserialises every test case into the group's root type.
//! A case agrees when data marked valid is accepted and written back JSON-equal, and data marked
//! invalid is rejected. Groups the generator refuses, or whose code does not compile, count as
//! disagreeing on all their cases. The table goes to `tests/conformance/SCORE.md`; the figures in
//! `tests/conformance/score.json` may only rise.

use crate::workspace_root;
use codegen::source::Remote;
use codegen::{Config, CrateSettings};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub const USAGE: &str = "cargo xtask conformance [--suite DIR]

  --suite DIR        the JSON Schema Test Suite (default: ../shared/corpora/jsts); writes
                     tests/conformance/SCORE.md and fails if any file scores below score.json";

/// (accepted, written back JSON-equal) per (group, case).
type Results = BTreeMap<(usize, usize), (bool, bool)>;

const DRAFTS: &[(&str, &str)] = &[("draft2020-12", "d2020"), ("draft7", "d7")];

/// The keyword files the 95% target is measured on.
const TARGET_FILES: &[&str] = &[
    "type",
    "properties",
    "required",
    "enum",
    "const",
    "items",
    "prefixItems",
    "additionalProperties",
    "anyOf",
    "oneOf",
    "allOf",
    "ref",
    "defs",
    "definitions",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "default",
    "boolean_schema",
    "format",
];

struct Group {
    module_file: String,
    file: String,
    cases: Vec<(Value, bool)>,
    status: Status,
}

enum Status {
    Refused(String),
    Panicked,
    /// Generated: the Rust path of the root type, the module's name and its source.
    Generated {
        root: String,
        module: String,
        source: String,
    },
    NotCompiled,
}

pub fn run(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let suite = match args {
        [] => root.join("../shared/corpora/jsts"),
        [flag, dir] if flag == "--suite" => PathBuf::from(dir),
        _ => {
            eprintln!("usage: {USAGE}");
            return ExitCode::from(2);
        }
    };
    match conformance(&root, &suite) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("conformance: {message}");
            ExitCode::FAILURE
        }
    }
}

fn conformance(root: &Path, suite: &Path) -> Result<bool, String> {
    let work = root.join("target/conformance");
    let schemas = work.join("schemas");
    let _ = std::fs::remove_dir_all(&schemas);
    std::fs::create_dir_all(&schemas)
        .map_err(|e| format!("cannot create {}: {e}", schemas.display()))?;
    let remotes = vec![Remote {
        prefix: "http://localhost:1234/".into(),
        dir: suite.join("remotes"),
    }];
    let mut groups = load_groups(suite, &schemas)?;
    println!(
        "{} groups, {} cases",
        groups.len(),
        groups.iter().map(|g| g.cases.len()).sum::<usize>()
    );

    // Each group on its own first: a refusal or a panic is that group's alone.
    std::panic::set_hook(Box::new(|_| {}));
    for group in &mut groups {
        let path = schemas.join(&group.module_file);
        let config = validating_config(&path, &remotes);
        group.status = match std::panic::catch_unwind(|| config.generate()) {
            Err(_) => Status::Panicked,
            Ok(Err(failure)) => Status::Refused(failure.to_string()),
            Ok(Ok(generated)) => generated_status(&generated, &group.module_file),
        };
    }
    let _ = std::panic::take_hook();
    let results = compile_and_run(&work, &mut groups)?;
    report(root, &groups, &results)
}

fn validating_config(path: &Path, remotes: &[Remote]) -> Config {
    let mut config = Config::new(path);
    config.remotes = remotes.to_vec();
    config.validate = true;
    config.crate_settings = CrateSettings {
        name: "conformance-models".into(),
        standalone: true,
    };
    config
}

/// Reads every keyword file and writes each group's schema as its own file.
fn load_groups(suite: &Path, schemas: &Path) -> Result<Vec<Group>, String> {
    let mut groups = Vec::new();
    for (draft, prefix) in DRAFTS {
        let dir = suite.join(draft);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for path in files {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let parsed: Vec<Value> =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            for (i, group) in parsed.into_iter().enumerate() {
                let module_file = format!(
                    "{prefix}_{}_{i:03}.json",
                    codegen::names::ident(&stem, codegen::names::Case::Snake)
                );
                let cases = group["tests"]
                    .as_array()
                    .map(|tests| {
                        tests
                            .iter()
                            .map(|t| (t["data"].clone(), t["valid"] == json!(true)))
                            .collect()
                    })
                    .unwrap_or_default();
                groups.push(Group {
                    module_file,
                    file: format!("{draft}/{stem}.json"),
                    cases,
                    status: Status::Refused(String::new()),
                });
                let schema = serde_json::to_string_pretty(&group["schema"]).unwrap_or_default();
                let target = schemas.join(&groups[groups.len() - 1].module_file);
                std::fs::write(&target, schema)
                    .map_err(|e| format!("{}: {e}", target.display()))?;
            }
        }
    }
    Ok(groups)
}

/// A generated group: its module (one per group, named after the file) and the path of its root
/// type (`serde_json::Value` when the root makes no type of its own).
fn generated_status(generated: &codegen::Generated, file: &str) -> Status {
    let origin = format!("{file}#");
    let Some(module) = generated.ir.modules.first() else {
        return Status::Generated {
            root: "serde_json::Value".into(),
            module: String::new(),
            source: String::new(),
        };
    };
    // A checked root wraps the plain type made for the same schema: the checked one is the root.
    let at_root = module.types.iter().filter(|t| t.origin == origin);
    let root = match at_root.max_by_key(|t| matches!(t.kind, codegen::ir::TypeKind::Checked(_))) {
        Some(def) => format!("conformance_models::{}::{}", module.name, def.name),
        None => "serde_json::Value".into(),
    };
    let source = generated
        .files
        .0
        .get(&format!("src/{}.rs", module.name))
        .cloned()
        .unwrap_or_default();
    Status::Generated {
        root,
        module: module.name.clone(),
        source,
    }
}

/// Puts every generated module into one crate (each group was generated on its own, since groups
/// reuse `$id`s), builds a harness over it (leaving out modules that do not compile), runs every
/// case, and returns (accepted, round trip) per case.
fn compile_and_run(work: &Path, groups: &mut [Group]) -> Result<Results, String> {
    let models = work.join("models");
    let harness = work.join("harness");
    let target = work.join("target");
    for _attempt in 0..4 {
        write_models(&models, groups)?;
        write_harness(&harness, groups)?;
        let build = Command::new(crate::cargo())
            .args(["build", "--quiet", "--offline", "--manifest-path"])
            .arg(harness.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if build.status.success() {
            let run = Command::new(target.join("debug/conformance-harness"))
                .arg(harness.join("cases.json"))
                .output()
                .map_err(|e| format!("cannot run the harness: {e}"))?;
            return parse_results(&String::from_utf8_lossy(&run.stdout));
        }
        // Leave out every module rustc complained about, and try again.
        let stderr = String::from_utf8_lossy(&build.stderr);
        let mut dropped = 0;
        for group in groups.iter_mut() {
            let Status::Generated { module, .. } = &group.status else {
                continue;
            };
            if !module.is_empty() && stderr.contains(&format!("src/{module}.rs")) {
                group.status = Status::NotCompiled;
                dropped += 1;
            }
        }
        if dropped == 0 {
            return Err(format!("the conformance crate does not build:\n{stderr}"));
        }
        println!("left out {dropped} modules that do not compile; building again");
    }
    Err("the conformance crate still does not build after leaving modules out".into())
}

fn write_models(dir: &Path, groups: &[Group]) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    // Each module's types are gated on the module's cargo feature, as in a generated crate: one
    // feature per module, all on.
    let modules: Vec<&str> = groups
        .iter()
        .filter_map(|group| match &group.status {
            Status::Generated { module, .. } if !module.is_empty() => Some(module.as_str()),
            _ => None,
        })
        .collect();
    let mut features = format!(
        "[features]\ndefault = [{}]\n",
        modules
            .iter()
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for module in &modules {
        let _ = writeln!(features, "{module} = []");
    }
    let manifest = format!(
        "[package]\nname = \"conformance-models\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         {features}\n[dependencies]\nserde = \"1\"\nserde_json = {{ version = \"1\", features = [\"raw_value\"] }}\nregex-lite = \"0.1\"\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    for (file, text) in [
        ("support.rs", codegen::emit::SUPPORT_RS),
        ("validate.rs", codegen::emit::VALIDATE_RS),
    ] {
        std::fs::write(dir.join("src").join(file), text).map_err(|e| e.to_string())?;
    }
    let mut lib = String::from(
        "//! Generated by `cargo xtask conformance`.\n#![allow(missing_docs)]\npub mod support;\npub mod validate;\n",
    );
    for group in groups {
        if let Status::Generated { module, source, .. } = &group.status {
            if !module.is_empty() {
                let _ = writeln!(lib, "pub mod {module};");
                std::fs::write(dir.join(format!("src/{module}.rs")), source)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())
}

fn write_harness(dir: &Path, groups: &[Group]) -> Result<(), String> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = "[package]\nname = \"conformance-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
        [dependencies]\nconformance-models = { path = \"../models\" }\nserde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let mut arms = String::new();
    let mut cases = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let Status::Generated { root, .. } = &group.status else {
            continue;
        };
        let _ = writeln!(arms, "        {g} => check::<{root}>(data, expected),");
        for (c, (data, _)) in group.cases.iter().enumerate() {
            cases.push(json!([g, c, data]));
        }
    }
    let main = format!(
        "//! Generated by `cargo xtask conformance`.\n\
         use serde_json::Value;\n\n\
         fn check<T: serde::de::DeserializeOwned + serde::Serialize>(data: &str, expected: &Value) -> (bool, bool) {{\n    \
             match serde_json::from_str::<T>(data) {{\n        \
                 Ok(v) => (true, serde_json::to_value(&v).is_ok_and(|w| &w == expected)),\n        \
                 Err(_) => (false, false),\n    \
             }}\n\
         }}\n\n\
         fn run(group: u64, data: &str, expected: &Value) -> (bool, bool) {{\n    \
             match group {{\n{arms}        _ => (false, false),\n    }}\n}}\n\n\
         fn main() {{\n    \
             std::panic::set_hook(Box::new(|_| {{}}));\n    \
             let path = std::env::args().nth(1).expect(\"cases file\");\n    \
             let cases: Vec<(u64, u64, Value)> = serde_json::from_str(&std::fs::read_to_string(path).expect(\"read\")).expect(\"JSON\");\n    \
             for (group, case, data) in cases {{\n        \
                 let text = data.to_string();\n        \
                 let (accepted, round_trip) = std::panic::catch_unwind(|| run(group, &text, &data)).unwrap_or((false, false));\n        \
                 println!(\"{{group}} {{case}} {{accepted}} {{round_trip}}\");\n    \
             }}\n\
         }}\n"
    );
    std::fs::write(dir.join("src/main.rs"), main).map_err(|e| e.to_string())?;
    let cases = serde_json::to_string(&cases).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("cases.json"), cases).map_err(|e| e.to_string())
}

fn parse_results(stdout: &str) -> Result<Results, String> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        let [g, c, accepted, round_trip] = parts.as_slice() else {
            return Err(format!("unexpected harness output: {line}"));
        };
        let number = |s: &str| s.parse::<usize>().map_err(|e| format!("{line}: {e}"));
        out.insert(
            (number(g)?, number(c)?),
            (*accepted == "true", *round_trip == "true"),
        );
    }
    Ok(out)
}

#[derive(Default, Clone, Copy)]
struct Row {
    groups: usize,
    generated: usize,
    compiled: usize,
    refused: usize,
    panicked: usize,
    cases: usize,
    agree: usize,
}

/// Prints and writes the table; returns whether no file fell below its committed score.
fn report(root: &Path, groups: &[Group], results: &Results) -> Result<bool, String> {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut refusals = String::new();
    for (g, group) in groups.iter().enumerate() {
        let row = rows.entry(group.file.clone()).or_default();
        row.groups += 1;
        row.cases += group.cases.len();
        match &group.status {
            Status::Generated { .. } => {
                row.generated += 1;
                row.compiled += 1;
            }
            Status::NotCompiled => row.generated += 1,
            Status::Refused(message) => {
                row.refused += 1;
                let first = message.lines().next().unwrap_or_default();
                // Paths relative to the workspace, so the committed table is the same on every machine.
                let first = first.replace(&format!("{}/", root.display()), "");
                let _ = writeln!(
                    refusals,
                    "- `{}` group {g}: {}",
                    group.file,
                    first.replace('|', "\\|")
                );
            }
            Status::Panicked => row.panicked += 1,
        }
        for (c, (_, valid)) in group.cases.iter().enumerate() {
            let (accepted, round_trip) = results.get(&(g, c)).copied().unwrap_or((false, false));
            let agrees = if *valid {
                accepted && round_trip
            } else {
                !accepted
            };
            let generated = matches!(group.status, Status::Generated { .. });
            if agrees && generated {
                row.agree += 1;
            }
        }
    }
    let mut table = String::from(
        "| file | groups | generated | compiled | refused | panics | cases | agree | disagree | agree % |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut target = Row::default();
    let mut all = Row::default();
    for (file, row) in &rows {
        let percent = 100.0 * row.agree as f64 / row.cases.max(1) as f64;
        let _ = writeln!(
            table,
            "| {file} | {} | {} | {} | {} | {} | {} | {} | {} | {percent:.1} |",
            row.groups,
            row.generated,
            row.compiled,
            row.refused,
            row.panicked,
            row.cases,
            row.agree,
            row.cases - row.agree
        );
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".json");
        for total in [&mut all]
            .into_iter()
            .chain(TARGET_FILES.contains(&stem).then_some(&mut target))
        {
            total.groups += row.groups;
            total.generated += row.generated;
            total.compiled += row.compiled;
            total.refused += row.refused;
            total.panicked += row.panicked;
            total.cases += row.cases;
            total.agree += row.agree;
        }
    }
    let summary = |name: &str, r: &Row| {
        format!(
            "{name}: {} groups, {} generated, {} compiled, {} refused, {} panics; {} of {} cases agree ({:.1}%)",
            r.groups, r.generated, r.compiled, r.refused, r.panicked, r.agree, r.cases,
            100.0 * r.agree as f64 / r.cases.max(1) as f64
        )
    };
    let text = format!(
        "# JSON Schema Test Suite conformance\n\n\
         Written by `cargo xtask conformance` (the suite: `../shared/corpora/jsts`, draft2020-12 and draft7,\n\
         keyword files; `optional/` is not run). Types are generated in validating mode (`Config::validate`:\n\
         unlisted enum values and checkable constraints refused while deserialising). A case agrees when valid data is accepted and\n\
         written back JSON-equal, and invalid data is rejected; cases of refused groups count as disagreeing.\n\n\
         - {}\n- {}\n\n{table}\n## Refused groups\n\n{}",
        summary("target keyword files", &target),
        summary("all keyword files", &all),
        if refusals.is_empty() { "None.\n".to_owned() } else { refusals },
    );
    println!(
        "{table}\n{}\n{}",
        summary("target keyword files", &target),
        summary("all keyword files", &all)
    );
    let dir = root.join("tests/conformance");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // The committed figures may only rise.
    let committed: BTreeMap<String, usize> = std::fs::read_to_string(dir.join("score.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut ok = true;
    for (file, before) in &committed {
        let now = rows.get(file).map_or(0, |r| r.agree);
        if now < *before {
            eprintln!("regression: {file} agrees on {now} cases, the committed score is {before}");
            ok = false;
        }
    }
    if all.panicked > 0 {
        eprintln!("the generator panicked on {} groups", all.panicked);
        ok = false;
    }
    let score: BTreeMap<&String, usize> = rows.iter().map(|(f, r)| (f, r.agree)).collect();
    std::fs::write(dir.join("SCORE.md"), text).map_err(|e| e.to_string())?;
    if ok {
        let json = serde_json::to_string_pretty(&score).map_err(|e| e.to_string())? + "\n";
        std::fs::write(dir.join("score.json"), json).map_err(|e| e.to_string())?;
    }
    Ok(ok)
}
