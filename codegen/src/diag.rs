//! Diagnostics: every problem names the file, the JSON pointer and, where known, line and column.

use std::fmt;
use std::path::PathBuf;

/// Where in the input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as given on the command line or found under the schema folder.
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) into the file; empty for the whole document.
    pub pointer: String,
    /// 1-based line and column of the value the pointer names, when known.
    pub line_col: Option<(usize, usize)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        let pointer = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        write!(f, " at {pointer}")
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input was understood partly; the generator degraded (for example to `serde_json::Value`).
    Warning,
    /// The input cannot be turned into code.
    Error,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    /// What is wrong, phrased as "expected … found …" where that fits.
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// What of the input did not become code because of this problem, if anything.
    pub left_out: Option<LeftOut>,
}

/// An item of the input that a problem cost: it is not in the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeftOut {
    Operation,
    Parameter,
    Body,
    Webhook,
    /// A schema's type: the value is a `serde_json::Value` where the schema says more.
    Type,
}

/// The numbers of one run, printed as its last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub operations: usize,
    pub operations_left_out: usize,
    pub webhooks: usize,
    pub webhooks_left_out: usize,
    pub parameters_left_out: usize,
    pub bodies_left_out: usize,
    /// Schemas that are not free-form but became `serde_json::Value`.
    pub untyped: usize,
    pub warnings: usize,
}

impl Summary {
    /// Counts what the warnings say was left out.
    pub fn new(operations: usize, webhooks: usize, warnings: &[Diagnostic]) -> Summary {
        let count = |kind| warnings.iter().filter(|w| w.left_out == Some(kind)).count();
        Summary {
            operations,
            operations_left_out: count(LeftOut::Operation),
            webhooks,
            webhooks_left_out: count(LeftOut::Webhook),
            parameters_left_out: count(LeftOut::Parameter),
            bodies_left_out: count(LeftOut::Body),
            untyped: count(LeftOut::Type),
            warnings: warnings.len(),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "summary: {} operations generated, {} left out; {} webhooks generated, {} left out; {} parameters and {} bodies left out; {} schemas untyped; {} warnings",
            self.operations,
            self.operations_left_out,
            self.webhooks,
            self.webhooks_left_out,
            self.parameters_left_out,
            self.bodies_left_out,
            self.untyped,
            self.warnings
        )
    }
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
            left_out: None,
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            hint: None,
            left_out: None,
        }
    }

    /// Marks the item this diagnostic is about as left out of the generated code.
    pub fn leaving_out(mut self, item: LeftOut) -> Self {
        self.left_out = Some(item);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}: {}", self.location, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A failed run: at least one error, plus any warnings collected before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure {
            diagnostics: vec![d],
        }
    }
}

/// A plain I/O failure on a path, reported like any other diagnostic.
pub fn io_error(path: &std::path::Path, action: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Location {
            file: path.to_path_buf(),
            pointer: String::new(),
            line_col: None,
        },
        format!("cannot {action}: {err}"),
    )
}
