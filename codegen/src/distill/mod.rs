//! Docs drift: the vendor pages the schemas were distilled from, held against the schemas.
//!
//! The pages live beside the schemas, one file per page, in `<schemas>/<vendor>/pages/*.txt`. For
//! each page, [`check`] reads it ([`page`]) and compares it with the operation of the same method
//! and path in that vendor's OpenAPI description: parameters (place, type, required flag, options,
//! range), the answer's status, and every example body against the answer's schema (properties the
//! schema lacks, other JSON types, values the schema does not list, and, for information, schema
//! properties no example shows). [`draft`] turns a page nobody has distilled yet into a draft
//! description. The curated schemas stay the source of truth: this reports, a person decides.

mod check;
mod draft;
pub mod page;

use crate::diag::{Diagnostic, Failure, Location};
use crate::source::Sources;
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};

/// One place where a page and the schema differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The page.
    pub file: PathBuf,
    /// 1-based line on the page.
    pub line: usize,
    pub kind: Kind,
    /// The schema part it concerns.
    pub schema: Option<Location>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The page cannot be read.
    Unreadable,
    /// The page and the schema say different things.
    Disagrees,
    /// For information: a schema property that no example on the page shows.
    Unshown,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.kind {
            Kind::Unreadable => "unreadable",
            Kind::Disagrees => "differs",
            Kind::Unshown => "note",
        };
        write!(
            f,
            "{}:{}: {label}: {}",
            self.file.display(),
            self.line,
            self.message
        )?;
        if let Some(schema) = &self.schema {
            write!(f, "\n    schema: {schema}")?;
        }
        Ok(())
    }
}

/// The pages under `schemas`: (vendor module, page file), in file order.
pub fn pages(schemas: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(vendors) = std::fs::read_dir(schemas) else {
        return out;
    };
    for vendor in vendors.flatten() {
        let Ok(files) = std::fs::read_dir(vendor.path().join("pages")) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "txt") {
                out.push((vendor.file_name().to_string_lossy().into_owned(), path));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// Every finding for every page under `schemas`, page by page.
pub fn check(schemas: &Path) -> Result<Vec<Finding>, Failure> {
    let sources = Sources::load(schemas, &[])?;
    let mut out = Vec::new();
    for (module, file) in pages(schemas) {
        let read = std::fs::read_to_string(&file)
            .map_err(|e| page::PageError {
                line: 1,
                message: format!("cannot read the page: {e}"),
            })
            .and_then(|text| page::read(&text));
        match read {
            Ok(page) => out.extend(check::page(&sources, &module, &file, &page)),
            Err(e) => out.push(Finding {
                file: file.clone(),
                line: e.line,
                kind: Kind::Unreadable,
                schema: None,
                message: e.message,
            }),
        }
    }
    Ok(out)
}

/// A draft OpenAPI description for the page at `file`.
pub fn draft(file: &Path) -> Result<Value, Diagnostic> {
    let text =
        std::fs::read_to_string(file).map_err(|e| crate::diag::io_error(file, "read", &e))?;
    let page = page::read(&text).map_err(|e| {
        Diagnostic::error(
            Location {
                file: file.to_owned(),
                pointer: String::new(),
                line_col: Some((e.line, 1)),
            },
            e.message,
        )
    })?;
    Ok(draft::draft(&page))
}
