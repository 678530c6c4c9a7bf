//! `cargo xtask codegen`: schemas in, a crate out (or, with `--check`, a diff).

use crate::workspace_root;
use codegen::{Config, CrateSettings};
use std::path::PathBuf;
use std::process::ExitCode;

pub const USAGE: &str = "cargo xtask codegen [--check] [--schemas PATH] [--out DIR] [--crate-name NAME]
                           [--validate] [--strict] [--remote URL=DIR] [--timings]

  --schemas PATH     a folder of schemas (one module per sub-folder) or one JSON Schema / OpenAPI file
                     (.json, .yaml or .yml)
                     (default: schemas/)
  --out DIR          where to write the crate (default: generated/); a DIR other than the default gets
                     a standalone crate that builds on its own
  --crate-name NAME  the package name (default: api-models)
  --check            write nothing; fail with a diff if DIR is not what the schemas generate
  --validate         validating mode: unlisted enum values and every checkable constraint are refused
  --strict           every warning is an error (a repaired defect, an item left out, a part typed as
                     serde_json::Value); without it a defect costs only the place it is in
  --remote URL=DIR   read documents referenced under URL from the folder DIR (repeatable)
  --timings          print how long each stage took (load, lower, emit, render, write)";

pub fn codegen(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut schemas = root.join("schemas");
    let mut out = None;
    let mut name = None;
    let mut check = false;
    let mut validate = false;
    let mut strict = false;
    let mut timings = false;
    let mut remotes = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--validate" => validate = true,
            "--strict" => strict = true,
            "--timings" => timings = true,
            "--remote" => {
                let Some((url, dir)) = it.next().and_then(|v| v.split_once('=')) else {
                    eprintln!("error: --remote needs URL=DIR\n\nusage: {USAGE}");
                    return ExitCode::from(2);
                };
                remotes.push(codegen::source::Remote {
                    prefix: url.to_owned(),
                    dir: PathBuf::from(dir),
                });
            }
            "--schemas" | "--out" | "--crate-name" => {
                let Some(value) = it.next() else {
                    eprintln!("error: {arg} needs a value\n\nusage: {USAGE}");
                    return ExitCode::from(2);
                };
                match arg.as_str() {
                    "--schemas" => schemas = PathBuf::from(value),
                    "--out" => out = Some(PathBuf::from(value)),
                    _ => name = Some(value.clone()),
                }
            }
            "-h" | "--help" => {
                println!("usage: {USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("error: unknown argument `{other}`\n\nusage: {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let standalone = out.is_some();
    let out = out.unwrap_or_else(|| root.join("generated"));
    let mut config = Config::new(&schemas);
    config.validate = validate;
    config.strict = strict;
    config.remotes = remotes;
    config.crate_settings = CrateSettings {
        name: name.unwrap_or_else(|| "api-models".into()),
        standalone,
    };
    let started = std::time::Instant::now();
    // The manifest already in `out` is read while the schemas are generated (it is held against
    // the new one below; for a large document reading it is a tenth of the run).
    let (generated, old_api) = std::thread::scope(|scope| {
        let old_api = scope.spawn(|| OldApi::read(&out));
        let generated = config.generate();
        let old_api = old_api
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (generated, old_api)
    });
    let generated = match generated {
        Ok(g) => g,
        Err(failure) => {
            eprintln!("{failure}");
            eprintln!("codegen failed; {} was left as it was", out.display());
            return ExitCode::FAILURE;
        }
    };
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    if !generated.not_read.is_empty() {
        let names: Vec<String> = generated
            .not_read
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!(
            "not read: {} files in {} that are neither JSON nor YAML: {}",
            names.len(),
            schemas.display(),
            names.join(", ")
        );
    }
    let summary = generated.summary();
    let changes = old_api.changes(&generated);
    if !changes.is_empty() {
        eprintln!(
            "what this changes for code that uses the crate (against {}):\n{}",
            out.join("api.json").display(),
            codegen::api_diff::Report(&changes)
        );
    }
    if check {
        let diff = codegen::write::diff_against(&generated.files, &out);
        if diff.is_empty() {
            eprintln!("{} is up to date with {}", out.display(), schemas.display());
            eprintln!("{summary}");
            return ExitCode::SUCCESS;
        }
        print!("{diff}");
        eprintln!("{} is stale: run `cargo xtask codegen`", out.display());
        eprintln!("{summary}");
        return ExitCode::FAILURE;
    }
    let writing = std::time::Instant::now();
    if let Err(failure) = codegen::write::write_atomically(&generated.files, &out) {
        eprintln!("{failure}");
        return ExitCode::FAILURE;
    }
    if timings {
        let stages: Vec<String> = generated
            .timings
            .iter()
            .copied()
            .chain([("write", writing.elapsed())])
            .map(|(stage, took)| format!("{stage} {:.1} ms", took.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("timings: {}", stages.join(", "));
    }
    let types: usize = generated.ir.modules.iter().map(|m| m.types.len()).sum();
    eprintln!(
        "generated {} ({} modules, {} types, {} files) from {} in {:.2?}",
        out.display(),
        generated.ir.modules.len(),
        types,
        generated.files.0.len(),
        schemas.display(),
        started.elapsed()
    );
    eprintln!("{summary}");
    ExitCode::SUCCESS
}

/// The `api.json` already in `out`, as text and parsed (none when there is none, or it is not
/// JSON).
struct OldApi(Option<(String, serde_json::Value)>);

impl OldApi {
    fn read(out: &std::path::Path) -> OldApi {
        let Ok(text) = std::fs::read_to_string(out.join("api.json")) else {
            return OldApi(None);
        };
        match serde_json::from_str(&text) {
            Ok(parsed) => OldApi(Some((text, parsed))),
            Err(_) => OldApi(None),
        }
    }

    /// The changes of the public API against it: none when there was none, or the new manifest is
    /// the same text.
    fn changes(&self, generated: &codegen::Generated) -> Vec<codegen::api_diff::Change> {
        let (Some((text, old)), Some(new)) = (&self.0, generated.files.0.get("api.json")) else {
            return Vec::new();
        };
        if text == new {
            return Vec::new();
        }
        match serde_json::from_str::<serde_json::Value>(new) {
            Ok(new) => codegen::api_diff::compare(old, &new),
            Err(_) => Vec::new(),
        }
    }
}
