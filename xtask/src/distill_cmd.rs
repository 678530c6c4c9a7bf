//! `cargo xtask distill`: the vendor pages beside the schemas, held against them (`--check`), or
//! one page turned into a draft description.

use crate::workspace_root;
use codegen::distill::{self, Kind};
use std::path::PathBuf;
use std::process::ExitCode;

pub const USAGE: &str = "cargo xtask distill --check [--schemas DIR]
       cargo xtask distill PAGE [--out FILE]

  --check        hold every page in DIR/<vendor>/pages/*.txt against the vendor's schemas and list
                 where they differ (page line, schema file and pointer); fails when any does.
                 Schema properties that no example shows are listed as notes, which do not fail
  --schemas DIR  the schemas folder (default: schemas/)
  PAGE           a page nobody has distilled yet: prints a draft OpenAPI description of it
  --out FILE     write the draft to FILE instead";

pub fn run(args: &[String]) -> ExitCode {
    let mut schemas = workspace_root().join("schemas");
    let mut check = false;
    let mut page = None;
    let mut out = None;
    let mut schemas_given = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--schemas" | "--out" => {
                let Some(value) = it.next() else {
                    eprintln!("error: {arg} needs a value\n\nusage: {USAGE}");
                    return ExitCode::from(2);
                };
                if arg == "--schemas" {
                    schemas = PathBuf::from(value);
                    schemas_given = true;
                } else {
                    out = Some(PathBuf::from(value));
                }
            }
            "-h" | "--help" => {
                println!("usage: {USAGE}");
                return ExitCode::SUCCESS;
            }
            other if !other.starts_with('-') && page.is_none() => page = Some(PathBuf::from(other)),
            other => {
                eprintln!("error: unknown argument `{other}`\n\nusage: {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match (check, page) {
        (true, None) if out.is_none() => run_check(&schemas),
        (false, Some(page)) if !schemas_given => run_draft(&page, out),
        _ => {
            eprintln!(
                "error: give either --check [--schemas DIR] or one PAGE [--out FILE]\n\nusage: {USAGE}"
            );
            ExitCode::from(2)
        }
    }
}

fn run_check(schemas: &std::path::Path) -> ExitCode {
    let pages = distill::pages(schemas).len();
    let findings = match distill::check(schemas) {
        Ok(findings) => findings,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::FAILURE;
        }
    };
    // Paths as seen from where the command runs.
    let here = std::env::current_dir().unwrap_or_default();
    let shown = |path: &mut PathBuf| {
        if let Ok(relative) = path.strip_prefix(&here) {
            *path = relative.to_owned();
        }
    };
    for mut finding in findings.iter().cloned() {
        shown(&mut finding.file);
        if let Some(schema) = &mut finding.schema {
            shown(&mut schema.file);
        }
        println!("{finding}");
    }
    let differ = findings.iter().filter(|f| f.kind != Kind::Unshown).count();
    let notes = findings.len() - differ;
    let mut folder = schemas.to_owned();
    shown(&mut folder);
    eprintln!(
        "{pages} pages held against {}: {differ} differences, {notes} notes",
        folder.display()
    );
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_draft(page: &std::path::Path, out: Option<PathBuf>) -> ExitCode {
    let draft = match distill::draft(page) {
        Ok(draft) => draft,
        Err(diagnostic) => {
            eprintln!("{diagnostic}");
            return ExitCode::FAILURE;
        }
    };
    let text = serde_json::to_string_pretty(&draft).unwrap_or_default() + "\n";
    match out {
        Some(file) => {
            if let Err(e) = std::fs::write(&file, text) {
                eprintln!("error: cannot write {}: {e}", file.display());
                return ExitCode::FAILURE;
            }
            eprintln!("draft written to {}", file.display());
        }
        None => print!("{text}"),
    }
    ExitCode::SUCCESS
}
