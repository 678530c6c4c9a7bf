//! `cargo xtask large-spec`: generate a crate from a large real-world API description (Stripe's
//! OpenAPI 3.0 document by default), report the time and size, and check that nothing was left out
//! and the crate compiles with no warnings.

use crate::{lint_crate, workspace_root};
use codegen::{Config, CrateSettings};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub const USAGE: &str = "cargo xtask large-spec [--spec FILE]

  --spec FILE        the API description (default: ../shared/corpora/large/stripe_spec3_2022-04-12.json);
                     the crate goes to target/large-spec/; every operation, parameter and body must
                     generate, the document written as YAML must give the same crate, and the crate
                     must build with no warnings";

pub fn run(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut spec = root.join("../shared/corpora/large/stripe_spec3_2022-04-12.json");
    match args {
        [] => {}
        [flag, value] if flag == "--spec" => spec = PathBuf::from(value),
        _ => {
            eprintln!("usage: {USAGE}");
            return ExitCode::from(2);
        }
    }
    let out = root.join("target/large-spec/models");
    let mut config = Config::new(&spec);
    config.crate_settings = CrateSettings {
        name: "large-spec-models".into(),
        standalone: true,
    };
    let started = Instant::now();
    let generated = match config.generate() {
        Ok(g) => g,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    };
    let generation = started.elapsed();
    if let Err(failure) = codegen::write::write_atomically(&generated.files, &out) {
        eprintln!("{failure}");
        return ExitCode::FAILURE;
    }
    let lines: usize = generated
        .files
        .0
        .iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .map(|(_, t)| t.lines().count())
        .sum();
    let types: usize = generated.ir.modules.iter().map(|m| m.types.len()).sum();
    let operations: usize = generated
        .ir
        .modules
        .iter()
        .map(|m| m.operations.len())
        .sum();
    println!("spec:        {}", spec.display());
    println!("generation:  {generation:.2?} (load, lower, emit, format)");
    println!(
        "output:      {types} types, {operations} operations, {lines} lines of Rust in {}",
        out.display()
    );
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    let summary = generated.summary();
    println!("{summary}");
    let is_yaml = matches!(
        spec.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if is_yaml {
        println!("yaml:        the document is YAML already");
    } else {
        match same_crate_from_yaml(&spec, &config, &generated, &root.join("target/large-spec")) {
            Ok(Some(took)) => {
                println!("yaml:        the same crate from the document as YAML ({took:.2?})")
            }
            Ok(None) => println!(
                "yaml:        skipped: the document's `$ref`s reach other files, which stay JSON"
            ),
            Err(why) => {
                eprintln!("the document as YAML: {why}");
                return ExitCode::FAILURE;
            }
        }
    }
    let numbered = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("is also wanted by"))
        .count();
    let types: usize = generated.ir.modules.iter().map(|m| m.types.len()).sum();
    println!(
        "names:       {numbered} of {types} type names numbered ({:.1}%), each warned about above",
        100.0 * numbered as f64 / types.max(1) as f64
    );
    let left_out = summary.operations_left_out
        + summary.webhooks_left_out
        + summary.parameters_left_out
        + summary.bodies_left_out;
    if left_out > 0 {
        eprintln!("{left_out} items of the document were left out (see the warnings above)");
        return ExitCode::FAILURE;
    }
    let started = Instant::now();
    match lint_crate(
        &out.join("Cargo.toml"),
        &root.join("target/large-spec/target"),
        "schemars,client,axum",
    ) {
        Ok(()) => {
            println!(
                "lint:        clean with -D warnings in {:.2?}",
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(output) => {
            eprintln!("{output}");
            eprintln!("the generated crate does not build cleanly");
            ExitCode::FAILURE
        }
    }
}

/// Writes the document as YAML, generates from that, and checks that the crate is the same, byte
/// for byte, but for the file name its docs cite.
/// Whether a JSON document has a `$ref` to another file (its YAML twin, written elsewhere,
/// would not find it).
fn refers_to_other_files(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            map.get("$ref")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|r| !r.starts_with('#'))
                || map.values().any(refers_to_other_files)
        }
        serde_json::Value::Array(items) => items.iter().any(refers_to_other_files),
        _ => false,
    }
}

fn same_crate_from_yaml(
    spec: &std::path::Path,
    config: &Config,
    from_json: &codegen::Generated,
    work: &std::path::Path,
) -> Result<Option<std::time::Duration>, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if refers_to_other_files(&value) {
        return Ok(None);
    }
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("the document has no file name")?;
    let dir = work.join("yaml");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let yaml_file = dir.join(format!("{stem}.yaml"));
    std::fs::write(&yaml_file, codegen::source::to_yaml(&value)).map_err(|e| e.to_string())?;
    let mut yaml_config = config.clone();
    yaml_config.schemas = yaml_file;
    let started = Instant::now();
    let from_yaml = yaml_config.generate().map_err(|f| f.to_string())?;
    let took = started.elapsed();
    let (json_name, yaml_name) = (format!("{stem}.json"), format!("{stem}.yaml"));
    for (path, json_text) in &from_json.files.0 {
        let yaml_text = from_yaml
            .files
            .0
            .get(path)
            .ok_or_else(|| format!("{path} is missing"))?
            .replace(&yaml_name, &json_name);
        if yaml_text != *json_text {
            return Err(format!(
                "{path} differs from the one the JSON document gives"
            ));
        }
    }
    if from_yaml.files.0.len() != from_json.files.0.len() {
        return Err("the YAML document gives other files".into());
    }
    Ok(Some(took))
}
