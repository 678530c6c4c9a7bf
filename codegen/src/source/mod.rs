//! The load stage: reads JSON Schema and OpenAPI files, remembers where every value is, and resolves
//! `$ref` (relative files, `$id`, `$anchor`, JSON pointers) to a [`SchemaRef`].

pub mod positions;
mod swagger;
mod uri;
mod yaml;

pub use positions::{escape_token, unescape_token};
pub use yaml::{read as read_yaml, to_yaml};

use crate::diag::{io_error, Diagnostic, Failure, Location};
use rustc_hash::FxHashMap as HashMap;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What kind of document a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    /// A JSON Schema document (any draft from 7 on).
    JsonSchema,
    /// An OpenAPI description; the string is its `openapi` version.
    OpenApi(String),
}

/// One parsed input file.
#[derive(Debug)]
pub struct Document {
    /// The path as found (relative to the current directory if it was given so).
    pub path: PathBuf,
    /// The path relative to the input root, with `/` separators: what generated docs cite.
    pub rel_path: String,
    /// The Rust module the file's types go to (the first folder under the input root, else the file stem).
    pub module: String,
    pub kind: DocKind,
    pub root: Value,
    /// Whether the file stands for a schema of its own: an input file, or one that some `$ref`
    /// points at as a whole. A file read only because references point into it (a map of
    /// SendGrid's components, a file of path items) holds definitions, not a type.
    pub whole: bool,
    /// The URI that relative references in this file resolve against.
    base: String,
    /// The file's own `file://` URI (a fallback when a relative reference under an `$id` finds nothing).
    file_uri: String,
    /// Where each value is: indexed from `text` the first time a diagnostic asks (most runs never
    /// do).
    positions: std::sync::OnceLock<positions::Positions>,
    /// The file's text, kept to index positions from.
    text: String,
    /// Whether the file is a Swagger 2.0 description, read in its OpenAPI 3.0 form: its `$ref`s
    /// and diagnostics use the 2.0 layout.
    swagger2: bool,
    /// For a Swagger 2.0 file: where each moved place of its 3.0 form was in the file.
    origins: Vec<(String, String)>,
    /// What its conversion to OpenAPI 3.0 could not carry over, reported once it is loaded.
    notes: Vec<swagger::Note>,
}

impl Document {
    fn positions(&self) -> &positions::Positions {
        self.positions.get_or_init(|| {
            if is_yaml(&self.path) {
                yaml::read(&self.text, true)
                    .map(|(_, p)| p)
                    .unwrap_or_default()
            } else {
                positions::index(&self.text)
            }
        })
    }
}

/// A schema somewhere in the loaded documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaRef {
    pub doc: usize,
    pub pointer: String,
}

impl SchemaRef {
    /// The schema at `pointer` + `/token`.
    pub fn child(&self, token: &str) -> SchemaRef {
        let mut pointer = String::with_capacity(self.pointer.len() + token.len() + 1);
        pointer.push_str(&self.pointer);
        pointer.push('/');
        positions::escape_token_into(token, &mut pointer);
        SchemaRef {
            doc: self.doc,
            pointer,
        }
    }
}

/// Every loaded document, with the `$id` and `$anchor` tables needed to resolve references.
#[derive(Debug, Default)]
pub struct Sources {
    pub docs: Vec<Document>,
    ids: HashMap<String, SchemaRef>,
    anchors: HashMap<(String, String), SchemaRef>,
    /// `$ref`s whose pointer finds nothing, resolved by the one definition their last segment
    /// names: (the schema holding the `$ref`, the reference) → the definition.
    repairs: HashMap<(SchemaRef, String), SchemaRef>,
    /// A warning for each repaired `$ref`, by file and pointer.
    pub warnings: Vec<Diagnostic>,
    /// Files in the schema folder that are neither JSON nor YAML (the vendor pages, notes), which
    /// are not read: sorted, relative to the folder.
    pub not_read: Vec<PathBuf>,
}

/// Why a reference found nothing.
enum Dangling {
    /// No document, `$id` or `$anchor` has that address.
    Address(String),
    /// The document is there but its JSON pointer finds nothing.
    Pointer(String),
}

/// Keys whose values are data, not schemas: `$id` or `$ref` inside them mean nothing.
const DATA_KEYWORDS: &[&str] = &["enum", "const", "examples", "example", "default"];

impl Sources {
    /// Loads a folder (every `.json`, `.yaml` and `.yml` file below it) or a single file, plus every
    /// file they reference by a relative path or by a URL that one of `remotes` serves from disk.
    pub fn load(input: &Path, remotes: &[Remote]) -> Result<Sources, Failure> {
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        let mut not_read = Vec::new();
        if input.is_dir() {
            let mut found = Vec::new();
            collect_schema_files(input, &mut found, &mut not_read)
                .map_err(|e| io_error(input, "read the schema folder", &e))?;
            found.sort();
            not_read.sort();
            for path in &mut not_read {
                *path = path.strip_prefix(input).unwrap_or(path).to_path_buf();
            }
            for path in found {
                let rel = path.strip_prefix(input).unwrap_or(&path);
                let mut parts = rel.components();
                let first = parts
                    .next()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned());
                let module = match (first, parts.next()) {
                    (Some(folder), Some(_)) => folder,
                    _ => file_stem(&path),
                };
                files.push((path, module));
            }
        } else {
            files.push((input.to_path_buf(), file_stem(input)));
        }
        let mut sources = Sources {
            not_read,
            ..Sources::default()
        };
        let mut errors = Vec::new();
        let mut queue: std::collections::VecDeque<(PathBuf, String, Option<String>)> =
            files.into_iter().map(|(p, m)| (p, m, None)).collect();
        let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
        let entries = queue.len();
        // Input files, and files some `$ref` points at as a whole.
        let mut whole: BTreeSet<PathBuf> = BTreeSet::new();
        let mut keys = Vec::new();
        let mut popped = 0;
        while let Some((path, module, url)) = queue.pop_front() {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            popped += 1;
            if popped <= entries {
                whole.insert(key.clone());
            }
            if !seen.insert(key.clone()) {
                continue;
            }
            let rel_path = url.clone().unwrap_or_else(|| relative_to(&path, input));
            match Document::read(&path, rel_path, module.clone(), &key, url) {
                Ok(mut doc) => {
                    for note in std::mem::take(&mut doc.notes) {
                        let location = doc.location_of(&note.pointer);
                        sources
                            .warnings
                            .push(Diagnostic::warning(location, note.message).with_hint(note.hint));
                    }
                    for (target, url, as_whole) in doc.referenced_files(remotes) {
                        if target.is_file() {
                            if as_whole {
                                whole.insert(target.canonicalize().unwrap_or(target.clone()));
                            }
                            queue.push_back((target, module.clone(), url));
                        }
                    }
                    sources.docs.push(doc);
                    keys.push(key);
                }
                Err(d) => errors.push(d),
            }
        }
        for (doc, key) in sources.docs.iter_mut().zip(&keys) {
            doc.whole = whole.contains(key);
        }
        if !errors.is_empty() {
            return Err(Failure {
                diagnostics: errors,
            });
        }
        if sources.docs.is_empty() {
            return Err(Diagnostic::error(
                Location {
                    file: input.to_path_buf(),
                    pointer: String::new(),
                    line_col: None,
                },
                "no `.json`, `.yaml` or `.yml` schema files found",
            )
            .into());
        }
        sources.index();
        Ok(sources)
    }

    /// Builds the `$id` and `$anchor` tables, then repairs the `$ref`s whose pointer finds nothing
    /// but whose last segment names exactly one definition of the document they point into.
    fn index(&mut self) {
        let mut refs: Vec<(SchemaRef, String)> = Vec::new();
        for (i, doc) in self.docs.iter().enumerate() {
            let root = SchemaRef {
                doc: i,
                pointer: String::new(),
            };
            self.ids.insert(doc.base.clone(), root.clone());
            // A document is also found under the address it was read from.
            self.ids
                .entry(doc.file_uri.clone())
                .or_insert_with(|| root.clone());
            let mut stack = vec![(&doc.root, root, doc.base.clone())];
            while let Some((value, at, base)) = stack.pop() {
                let Value::Object(map) = value else {
                    if let Value::Array(items) = value {
                        for (k, item) in items.iter().enumerate() {
                            stack.push((item, at.child(&k.to_string()), base.clone()));
                        }
                    }
                    continue;
                };
                if let Some(Value::String(reference)) = map.get("$ref") {
                    refs.push((at.clone(), reference.clone()));
                }
                let mut base = base;
                if let Some(Value::String(id)) = map
                    .get("$id")
                    .or_else(|| map.get("id").filter(|_| at.pointer.is_empty()))
                {
                    let full = uri::resolve(&base, id);
                    let (resolved, fragment) = uri::split_fragment(&full);
                    if !resolved.is_empty() {
                        base = resolved.to_owned();
                        self.ids.entry(base.clone()).or_insert_with(|| at.clone());
                    }
                    if let Some(anchor) = fragment.filter(|f| !f.is_empty() && !f.starts_with('/'))
                    {
                        self.anchors
                            .insert((base.clone(), anchor.to_owned()), at.clone());
                    }
                }
                for key in ["$anchor", "$dynamicAnchor"] {
                    if let Some(Value::String(anchor)) = map.get(key) {
                        self.anchors
                            .entry((base.clone(), anchor.clone()))
                            .or_insert_with(|| at.clone());
                    }
                }
                for (key, child) in map {
                    if DATA_KEYWORDS.contains(&key.as_str())
                        || !(child.is_object() || child.is_array())
                    {
                        continue;
                    }
                    stack.push((child, at.child(key), base.clone()));
                }
            }
        }
        self.repair(refs);
    }

    /// Records a repair (and its warning) for each `$ref` that only its last segment can resolve.
    fn repair(&mut self, mut refs: Vec<(SchemaRef, String)>) {
        refs.sort();
        for (from, reference) in refs {
            let Err(Dangling::Pointer(_)) = self.lookup(&from, &reference) else {
                continue;
            };
            let Ok(target) = self.lookup(&from, uri::split_fragment(&reference).0) else {
                continue;
            };
            let name = unescape_token(reference.rsplit('/').next().unwrap_or_default());
            let found = definitions_named(&self.docs[target.doc].root, &name);
            let [definition] = found.as_slice() else {
                continue;
            };
            let definition = SchemaRef {
                doc: target.doc,
                pointer: definition.clone(),
            };
            let message = format!(
                "`$ref` \"{reference}\" points at nothing; its last segment names one definition, \
                 `#{}`, which is taken for it",
                definition.pointer
            );
            self.warnings.push(
                Diagnostic::warning(self.location(&from), message)
                    .with_hint("correct the JSON pointer of the `$ref`"),
            );
            self.repairs.insert((from, reference), definition);
        }
    }

    /// An operation's parameter entries (as written: each may be a `$ref`), in the order they
    /// apply: the path item's, then the operation's own, which replace any of the same name and
    /// place.
    pub fn parameter_entries(&self, item: &SchemaRef, op: &SchemaRef) -> Vec<SchemaRef> {
        let mut out = Vec::new();
        for owner in [item, op] {
            let list = owner.child("parameters");
            let count = self
                .get(&list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            out.extend((0..count).map(|i| list.child(&i.to_string())));
        }
        out
    }

    /// The JSON value a reference points at.
    pub fn get(&self, at: &SchemaRef) -> Option<&Value> {
        positions::resolve(&self.docs.get(at.doc)?.root, &at.pointer)
    }

    /// Where a reference is, for diagnostics: the nearest enclosing value with a known position.
    pub fn location(&self, at: &SchemaRef) -> Location {
        let Some(doc) = self.docs.get(at.doc) else {
            return Location {
                file: PathBuf::new(),
                pointer: at.pointer.clone(),
                line_col: None,
            };
        };
        if doc.swagger2 {
            doc.location_of(&swagger::original_pointer(&doc.origins, &at.pointer))
        } else {
            doc.location_of(&at.pointer)
        }
    }

    /// The schema a chain of `$ref`s starting at `at` ends at (at most `limit` hops: a cycle stops
    /// there; a reference that resolves to nothing stops where it is).
    pub fn follow_refs(&self, at: &SchemaRef, limit: usize) -> SchemaRef {
        let mut at = at.clone();
        for _ in 0..limit {
            let Some(reference) = self
                .get(&at)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
            else {
                break;
            };
            match self.resolve(&at, reference) {
                Ok(next) => at = next,
                Err(_) => break,
            }
        }
        at
    }

    /// The base URI in effect at a schema (the document's, changed by any `$id` on the way down).
    fn base_at(&self, at: &SchemaRef) -> String {
        let Some(doc) = self.docs.get(at.doc) else {
            return String::new();
        };
        let mut base = doc.base.clone();
        let mut value = &doc.root;
        let tokens = at.pointer.split('/').skip(1);
        for token in std::iter::once(None).chain(tokens.map(Some)) {
            if let Some(token) = token {
                let token = unescape_token(token);
                let next = match value {
                    Value::Object(map) => map.get(&token),
                    Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                match next {
                    Some(v) => value = v,
                    None => break,
                }
            }
            if let Some(Value::String(id)) = value.get("$id") {
                let resolved = uri::resolve(&base, id);
                let (resolved, _) = uri::split_fragment(&resolved);
                if !resolved.is_empty() {
                    base = resolved.to_owned();
                }
            }
        }
        base
    }

    /// Resolves the `$ref` string found in the schema `from` (or its repair: see [`Sources::warnings`]).
    pub fn resolve(&self, from: &SchemaRef, reference: &str) -> Result<SchemaRef, Diagnostic> {
        self.lookup(from, reference).or_else(|dangling| {
            if let Some(repaired) = self.repairs.get(&(from.clone(), reference.to_owned())) {
                return Ok(repaired.clone());
            }
            let what = match dangling {
                Dangling::Address(what) | Dangling::Pointer(what) => what,
            };
            Err(Diagnostic::error(
                self.location(from),
                format!("dangling `$ref` \"{reference}\": {what}"),
            )
            .with_hint(
                "check the file name and the JSON pointer; relative references resolve against the referring file",
            ))
        })
    }

    /// Resolves a reference exactly as written.
    fn lookup(&self, from: &SchemaRef, reference: &str) -> Result<SchemaRef, Dangling> {
        let base = self.base_at(from);
        let absolute = uri::resolve(&base, reference);
        let (resource, fragment) = uri::split_fragment(&absolute);
        let by_file = self
            .docs
            .get(from.doc)
            .map(|d| uri::resolve(&d.file_uri, reference))
            .unwrap_or_default();
        let target = match self.ids.get(resource) {
            Some(target) => target,
            None => match self.ids.get(uri::split_fragment(&by_file).0) {
                Some(target) => target,
                None => {
                    return Err(Dangling::Address(format!(
                        "no loaded document or `$id` is `{resource}`"
                    )))
                }
            },
        };
        let written = uri::percent_decode(fragment.unwrap_or(""));
        let mut fragment = written.clone();
        if self.docs[target.doc].swagger2 && target.pointer.is_empty() {
            if let Some(moved) = swagger::aliased(&fragment) {
                fragment = moved;
            }
        }
        let found = if fragment.is_empty() {
            target.clone()
        } else if fragment.starts_with('/') {
            SchemaRef {
                doc: target.doc,
                pointer: format!("{}{}", target.pointer, fragment),
            }
        } else {
            match self.anchors.get(&(resource.to_owned(), fragment.clone())) {
                Some(found) => found.clone(),
                None => {
                    return Err(Dangling::Address(format!(
                        "no `$anchor` named `{fragment}` in `{resource}`"
                    )))
                }
            }
        };
        if self.get(&found).is_none() {
            return Err(Dangling::Pointer(format!(
                "`{resource}` has nothing at `{written}`"
            )));
        }
        Ok(found)
    }
}

/// The pointers of the definitions named `name` in a document: under any `$defs` or `definitions`,
/// and under OpenAPI's `components/schemas`.
fn definitions_named(root: &Value, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), root)];
    while let Some((pointer, value)) = stack.pop() {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => continue,
        };
        let holds_definitions = pointer.ends_with("/$defs")
            || pointer.ends_with("/definitions")
            || pointer == "/components/schemas";
        for (key, child) in children {
            let at = format!("{pointer}/{}", escape_token(&key));
            if holds_definitions && key == name {
                out.push(at.clone());
            }
            if !DATA_KEYWORDS.contains(&key.as_str()) {
                stack.push((at, child));
            }
        }
    }
    out.sort();
    out
}

/// A JSON text's value (a syntax error names its line and column).
fn read_json(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str::<Value>(text).map_err(|e| {
        Diagnostic::error(
            Location {
                file: path.to_path_buf(),
                pointer: String::new(),
                line_col: Some((e.line(), e.column())),
            },
            format!("malformed JSON: {e}"),
        )
        .with_hint("the file must be one JSON document (JSON Schema or OpenAPI)")
    })
}

/// Whether a file is read as YAML (by its extension, `.yaml` or `.yml`).
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

impl Document {
    fn read(
        path: &Path,
        rel_path: String,
        module: String,
        canonical: &Path,
        url: Option<String>,
    ) -> Result<Document, Diagnostic> {
        let text =
            std::fs::read_to_string(path).map_err(|e| io_error(path, "read the file", &e))?;
        let root = if is_yaml(path) {
            yaml::read(&text, false)
                .map_err(|e| {
                    Diagnostic::error(
                        Location {
                            file: path.to_path_buf(),
                            pointer: String::new(),
                            line_col: Some(e.line_col),
                        },
                        format!("malformed YAML: {}", e.message),
                    )
                    .with_hint("the file must be one YAML document (JSON Schema or OpenAPI)")
                })?
                .0
        } else {
            read_json(path, &text)?
        };
        let kind = match root.get("openapi").or_else(|| root.get("swagger")) {
            Some(Value::String(v)) => DocKind::OpenApi(v.clone()),
            _ => DocKind::JsonSchema,
        };
        let swagger2 = swagger::is_swagger2(&root);
        let (root, origins, notes) = if swagger2 {
            let converted = swagger::convert(root);
            (converted.root, converted.origins, converted.notes)
        } else {
            (root, Vec::new(), Vec::new())
        };
        let file_uri = url.unwrap_or_else(|| uri::from_path(canonical));
        let base = match root.get("$id").or_else(|| root.get("id")) {
            Some(Value::String(id)) => uri::split_fragment(&uri::resolve(&file_uri, id))
                .0
                .to_owned(),
            _ => file_uri.clone(),
        };
        Ok(Document {
            path: path.to_path_buf(),
            rel_path,
            module,
            kind,
            root,
            whole: true,
            base,
            file_uri,
            positions: std::sync::OnceLock::new(),
            text,
            swagger2,
            origins,
            notes,
        })
    }

    /// Where a pointer of the file as written is.
    fn location_of(&self, pointer: &str) -> Location {
        Location {
            file: self.path.clone(),
            pointer: pointer.to_owned(),
            line_col: positions::nearest(self.positions(), pointer),
        }
    }

    /// Files this document references (to be loaded along with it): relative paths next to it, and
    /// URLs that a remote maps to a folder (with the URL the file is known by).
    /// Each with whether the reference points at the file as a whole (no fragment, or an empty
    /// one).
    fn referenced_files(&self, remotes: &[Remote]) -> Vec<(PathBuf, Option<String>, bool)> {
        let mut out = Vec::new();
        let dir = self.path.parent().unwrap_or(Path::new(""));
        // Each value with the base URI in effect there (an embedded `$id` changes it).
        let mut stack = vec![(&self.root, self.base.clone())];
        while let Some((value, base)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    let base = match map.get("$id") {
                        Some(Value::String(id)) => {
                            uri::split_fragment(&uri::resolve(&base, id)).0.to_owned()
                        }
                        _ => base,
                    };
                    if let Some(Value::String(r)) = map.get("$ref") {
                        let (file, fragment) = r.split_once('#').unwrap_or((r, ""));
                        let as_whole = fragment.is_empty();
                        let absolute = uri::resolve(&base, file);
                        let remote = remotes.iter().find_map(|remote| {
                            let rest = absolute.strip_prefix(&remote.prefix)?;
                            Some((
                                remote.dir.join(uri::percent_decode(rest)),
                                Some(absolute.clone()),
                                as_whole,
                            ))
                        });
                        if let Some(found) = remote {
                            out.push(found);
                        } else if !file.is_empty()
                            && !uri::has_scheme(file)
                            && !file.starts_with('/')
                        {
                            out.push((dir.join(uri::percent_decode(file)), None, as_whole));
                        }
                    }
                    for (k, v) in map {
                        if !DATA_KEYWORDS.contains(&k.as_str()) {
                            stack.push((v, base.clone()));
                        }
                    }
                }
                Value::Array(items) => stack.extend(items.iter().map(|v| (v, base.clone()))),
                _ => {}
            }
        }
        out
    }
}

/// A base URL whose documents are read from a folder instead of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// The URL prefix, such as `http://localhost:1234/`.
    pub prefix: String,
    pub dir: PathBuf,
}

/// `path` relative to the input (a folder, or the single input file's folder), `/`-separated.
fn relative_to(path: &Path, input: &Path) -> String {
    let root = if input.is_dir() {
        input
    } else {
        input.parent().unwrap_or(Path::new(""))
    };
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The schema files below `dir` into `out`, and the other (not hidden) files into `others`.
fn collect_schema_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    others: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_schema_files(&path, out, others)?;
        } else if path.extension().is_some_and(|e| e == "json") || is_yaml(&path) {
            out.push(path);
        } else {
            others.push(path);
        }
    }
    Ok(())
}

/// The strings of a JSON array (`tags`, `consumes`), in order; other items and other values give
/// none.
pub(crate) fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
