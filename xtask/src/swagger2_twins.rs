//! `cargo xtask swagger2-twins`: each Swagger 2.0 test document converted to OpenAPI 3.0 by an
//! independent converter, compared with the committed conversion that `codegen/tests/swagger2.rs`
//! generates side by side with the 2.0 original.

use crate::{dirs_cache, npm_install, workspace_root, write_flag};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub const USAGE: &str = "cargo xtask swagger2-twins [--write]

  installs the converter (npm: swagger2openapi, pinned) into ~/.cache/msgapi-codegen/oracles/npm,
  converts each codegen/tests/swagger2/v2/*.json to OpenAPI 3.0, and fails if a conversion differs
  from the committed codegen/tests/swagger2/v3/ twin (which `cargo test --workspace` generates
  offline); --write replaces the twins";

/// The converter, pinned so that a run is repeatable.
const PACKAGES: &[&str] = &["swagger2openapi@7.0.8"];

pub fn run(args: &[String]) -> ExitCode {
    let Some(write) = write_flag(args, USAGE) else {
        return ExitCode::from(2);
    };
    let root = workspace_root();
    let started = std::time::Instant::now();
    let converter = match converter() {
        Ok(path) => path,
        Err(why) => {
            eprintln!("the converter could not be installed: {why}");
            return ExitCode::FAILURE;
        }
    };
    println!("converter:   ready in {:.1?}", started.elapsed());
    let originals = root.join("codegen/tests/swagger2/v2");
    let twins = root.join("codegen/tests/swagger2/v3");
    let mut names: Vec<_> = match std::fs::read_dir(&originals) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", originals.display());
            return ExitCode::FAILURE;
        }
    };
    names.sort();
    let out_dir = root.join("target/swagger2-twins");
    let mut stale = 0;
    for name in names {
        let out = out_dir.join(&name);
        if let Err(why) = convert(&converter, &originals.join(&name), &out) {
            eprintln!("{}: {why}", originals.join(&name).display());
            return ExitCode::FAILURE;
        }
        let twin = twins.join(&name);
        let fresh = std::fs::read(&out).unwrap_or_default();
        if std::fs::read(&twin).is_ok_and(|committed| committed == fresh) {
            println!("same:        {}", twin.display());
        } else if write {
            if let Err(e) =
                std::fs::create_dir_all(&twins).and_then(|_| std::fs::write(&twin, &fresh))
            {
                eprintln!("{}: {e}", twin.display());
                return ExitCode::FAILURE;
            }
            println!("written:     {}", twin.display());
        } else {
            eprintln!(
                "differs:     {} is not what the converter makes of {} now ({}); run with --write",
                twin.display(),
                name.to_string_lossy(),
                out.display()
            );
            stale += 1;
        }
    }
    if stale > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// npm's swagger2openapi, installed (pinned) into the cache on first use.
pub fn converter() -> Result<PathBuf, String> {
    let npm_dir = dirs_cache().join("msgapi-codegen/oracles/npm");
    npm_install(&npm_dir, PACKAGES)?;
    Ok(npm_dir.join("node_modules/.bin/swagger2openapi"))
}

/// Converts one 2.0 document to `out`.
pub fn convert(converter: &Path, input: &Path, out: &Path) -> Result<(), String> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let status = Command::new(converter)
        .arg(input)
        .arg("--outfile")
        .arg(out)
        .status()
        .map_err(|e| format!("{}: {e}", converter.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the converter exited with {status}"))
    }
}
