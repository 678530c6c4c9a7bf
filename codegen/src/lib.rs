//! A schema-driven Rust code generator: JSON Schema (2020-12, draft 7) and OpenAPI descriptions in,
//! a crate of serde models out.
//!
//! The pipeline runs one way: [`source`] loads files and resolves `$ref`, [`lower`] builds the
//! [`ir`], [`emit`] turns the IR into tokens, [`write`] formats and writes them. [`Config`] is the
//! one entry point.

// A `Diagnostic` is large (file, pointer, position, message, hint) but only travels on the cold error
// path, once per run; boxing it everywhere would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod api_diff;
pub mod diag;
pub mod distill;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod names;
pub mod source;
mod tokens;
pub mod write;

pub use diag::{Diagnostic, Failure, Summary};
pub use emit::CrateSettings;
pub use write::Files;

use std::path::PathBuf;

/// Stack size of the lowering thread.
const LOWER_STACK: usize = 256 << 20;

/// What to generate from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// A folder of schema files (each sub-folder becomes a module), or one JSON Schema / OpenAPI file.
    pub schemas: PathBuf,
    pub crate_settings: CrateSettings,
    /// URL prefixes whose referenced documents are read from local folders.
    pub remotes: Vec<source::Remote>,
    /// Validating mode: unlisted enum values are refused and every constraint a type can check (bounds, lengths,
    /// patterns, `const`, `oneOf` exclusivity, …) is checked while deserialising. Off by default:
    /// models then accept what a vendor adds later.
    pub validate: bool,
    /// Strict mode: every warning (a repaired defect, an item left out, a schema part typed as
    /// `serde_json::Value`) fails the run instead.
    pub strict: bool,
    /// Make an example of every JSON answer (`ir::StatusAnswer::example`), as `cargo xtask
    /// wire-check` needs. Off by default: on Stripe's document it doubles the generation time.
    pub answer_examples: bool,
}

/// The outcome of a successful run: the files, and any warnings.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Files,
    pub warnings: Vec<Diagnostic>,
    pub ir: ir::Crate,
    /// Files in the schema folder that are neither JSON nor YAML, which were not read (relative to
    /// the folder, sorted).
    pub not_read: Vec<PathBuf>,
    /// How long each stage took (`load`, `lower`, `emit and render`, which includes making
    /// `api.json` beside the rendering), in order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Generated {
    /// Operations generated, items left out and warnings: the last line of a run.
    pub fn summary(&self) -> Summary {
        let operations = self.ir.modules.iter().map(|m| m.operations.len()).sum();
        let webhooks = self.ir.modules.iter().map(|m| m.webhooks.len()).sum();
        Summary::new(operations, webhooks, &self.warnings)
    }
}

impl Config {
    pub fn new(schemas: impl Into<PathBuf>) -> Self {
        Config {
            schemas: schemas.into(),
            crate_settings: CrateSettings::default(),
            remotes: Vec::new(),
            validate: false,
            strict: false,
            answer_examples: false,
        }
    }

    /// Runs load → lower → emit → render, all in memory.
    pub fn generate(&self) -> Result<Generated, Failure> {
        let mut timings = Vec::new();
        let (ir, warnings, not_read) = self.lowered(&mut timings)?;
        let started = std::time::Instant::now();
        let layout = emit::features::layout(&ir);
        let output = emit::emit(&ir, &layout, &self.crate_settings);
        // The manifest is made on a thread of its own while the pieces are rendered.
        let (files, manifest) = std::thread::scope(|scope| {
            let manifest = std::thread::Builder::new()
                .name("manifest".into())
                .stack_size(LOWER_STACK)
                .spawn_scoped(scope, || emit::api_json(&ir, &layout, &self.crate_settings));
            let files = write::render(output, |piece| {
                emit::chunks(&ir, &layout, &self.crate_settings, piece)
            });
            let manifest = match manifest {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: this one makes it.
                Err(_) => emit::api_json(&ir, &layout, &self.crate_settings),
            };
            (files, manifest)
        });
        let mut files = files?;
        files
            .0
            .insert("api.json".into(), manifest.map_err(Diagnostic::from)?);
        timings.push(("emit and render", started.elapsed()));
        Ok(Generated {
            files,
            warnings,
            ir,
            not_read,
            timings,
        })
    }

    /// The crate's `api.json` alone (load, lower, manifest; nothing rendered): what
    /// `cargo xtask diff` compares.
    pub fn api_manifest(&self) -> Result<String, Failure> {
        let (ir, _, _) = self.lowered(&mut Vec::new())?;
        let layout = emit::features::layout(&ir);
        emit::api_json(&ir, &layout, &self.crate_settings).map_err(|e| Diagnostic::from(e).into())
    }

    fn lower_options(&self) -> lower::Options {
        lower::Options {
            validate: self.validate,
            strict: self.strict,
            answer_examples: self.answer_examples,
        }
    }

    /// Load and lower, each stage's time added to `timings`: the IR, the warnings, and the files
    /// not read.
    fn lowered(
        &self,
        timings: &mut Vec<(&'static str, std::time::Duration)>,
    ) -> Result<(ir::Crate, Vec<Diagnostic>, Vec<PathBuf>), Failure> {
        if let Some(problem) = self.crate_settings.name_problem() {
            let location = diag::Location {
                file: PathBuf::from("--crate-name"),
                pointer: String::new(),
                line_col: None,
            };
            return Err(Diagnostic::error(location, problem)
                .with_hint(
                    "use letters, digits, `-` and `_`, starting with a letter (`c2-intercom-2-16`)",
                )
                .into());
        }
        let started = std::time::Instant::now();
        let mut sources = source::Sources::load(&self.schemas, &self.remotes)?;
        let not_read = std::mem::take(&mut sources.not_read);
        timings.push(("load", started.elapsed()));
        let started = std::time::Instant::now();
        let mut warnings = Vec::new();
        // Lowering recurses along the schema's nesting; a thread with a large stack lets deep (but
        // finite) schemas through, while the depth limit in `lower` stops runaway ones.
        let ir = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("lower".into())
                .stack_size(LOWER_STACK)
                .spawn_scoped(scope, || {
                    lower::lower(&sources, self.lower_options(), &mut warnings)
                })
                .map_err(|e| {
                    Failure::from(Diagnostic::error(
                        diag::Location {
                            file: self.schemas.clone(),
                            pointer: String::new(),
                            line_col: None,
                        },
                        format!("cannot start the lowering thread: {e}"),
                    ))
                })?
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })?;
        timings.push(("lower", started.elapsed()));
        Ok((ir, warnings, not_read))
    }
}
