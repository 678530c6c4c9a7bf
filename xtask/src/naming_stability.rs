//! `cargo xtask naming-stability`: adds to a document, one at a time, an unrelated schema whose
//! `title` is an existing type's name (a definition's, and an inline type's), and checks with
//! `api.json` that no existing type's name changes and that the schema added is named from its
//! key.

use crate::workspace_root;
use codegen::{Config, CrateSettings};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const USAGE: &str = "cargo xtask naming-stability [--spec FILE] [--probes N]

  --spec FILE        an OpenAPI document, JSON or YAML (default: ../shared/corpora/large/stripe_spec3_2022-04-12.json)
  --probes N         how many existing names of each kind (definition, inline) are collided with (default: 8)";

pub fn run(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut spec = root.join("../shared/corpora/large/stripe_spec3_2022-04-12.json");
    let mut probes = 8usize;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match (flag.as_str(), rest.next()) {
            ("--spec", Some(v)) => spec = PathBuf::from(v),
            ("--probes", Some(v)) if v.parse::<usize>().is_ok() => probes = v.parse().unwrap_or(8),
            _ => {
                eprintln!("usage: {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match check(&spec, probes, &root.join("target/naming-stability")) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("naming stability, {}: {why}", spec.display());
            ExitCode::FAILURE
        }
    }
}

/// Each type's name by where it comes from (`file#pointer`).
fn names(doc: &Value, work: &Path, run: &str) -> Result<BTreeMap<String, String>, String> {
    let dir = work.join(run);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("api.json");
    std::fs::write(
        &file,
        serde_json::to_string(doc).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let mut config = Config::new(&file);
    config.crate_settings = CrateSettings {
        name: "naming-stability".into(),
        standalone: true,
    };
    let generated = config.generate().map_err(|f| f.to_string())?;
    let manifest: Value =
        serde_json::from_str(&generated.files.0["api.json"]).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    for module in manifest["modules"].as_array().into_iter().flatten() {
        for ty in module["types"].as_array().into_iter().flatten() {
            let origin = ty["origin"].as_str().unwrap_or_default().to_owned();
            out.insert(origin, ty["name"].as_str().unwrap_or_default().to_owned());
        }
    }
    Ok(out)
}

fn check(spec: &Path, probes: usize, work: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let doc: Value = if spec.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())?
    } else {
        codegen::source::read_yaml(&text, false)
            .map_err(|e| e.message)?
            .0
    };
    if !doc["components"]["schemas"].is_object() {
        return Err("the document has no `components/schemas` to add to".into());
    }
    let before = names(&doc, work, "before")?;
    let is_definition = |origin: &str| {
        let pointer = origin.split_once('#').map_or("", |(_, p)| p);
        pointer.matches('/').count() == 3 && pointer.starts_with("/components/schemas/")
    };
    // Every n-th name of each kind, so the probes spread over the document.
    let pick = |definition: bool| -> Vec<&String> {
        let of_kind: Vec<&String> = before
            .iter()
            .filter(|(origin, _)| is_definition(origin) == definition)
            .map(|(_, name)| name)
            .collect();
        let step = (of_kind.len() / probes.max(1)).max(1);
        of_kind.into_iter().step_by(step).take(probes).collect()
    };
    let chosen: Vec<(bool, &String)> = pick(true)
        .into_iter()
        .map(|n| (true, n))
        .chain(pick(false).into_iter().map(|n| (false, n)))
        .collect();
    let mut changed = Vec::new();
    for (i, (_, name)) in chosen.iter().enumerate() {
        let key = format!("zz_unrelated_probe_{i}");
        let mut probe = doc.clone();
        probe["components"]["schemas"][&key] = json!({
            "title": name,
            "type": "object",
            "properties": {format!("probe_{i}"): {"type": "string"}}
        });
        let after = names(&probe, work, &format!("probe-{i}"))?;
        for (origin, was) in &before {
            match after.get(origin) {
                Some(is) if is == was => {}
                is => changed.push(format!(
                    "adding `{key}` (title `{name}`) renamed `{was}` ({origin}) to {is:?}"
                )),
            }
        }
        let added = after
            .iter()
            .find(|(origin, _)| origin.ends_with(&format!("/components/schemas/{key}")))
            .map(|(_, n)| n.as_str());
        let wanted = format!("ZzUnrelatedProbe{i}");
        if added != Some(wanted.as_str()) {
            changed.push(format!(
                "the schema `{key}` (title `{name}`) is named {added:?}, not `{wanted}`"
            ));
        }
    }
    if !changed.is_empty() {
        return Err(changed.join("\n"));
    }
    let definitions = chosen.iter().filter(|(d, _)| *d).count();
    Ok(format!(
        "naming stability, {}: {} schemas added one at a time, titled as an existing type is \
         named ({definitions} definitions' names, {} inline types'); none of the {} existing \
         names changed, each added schema is named from its key",
        spec.display(),
        chosen.len(),
        chosen.len() - definitions,
        before.len()
    ))
}
