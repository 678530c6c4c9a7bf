//! Holds a [`Page`] against the curated schemas: every place where the page and the schema of the
//! same operation disagree becomes a [`Finding`], with the page line and the schema location.

use super::page::{describe, Body, Bound, Layout, Page, Param};
use super::{Finding, Kind};
use crate::ir::Security;
use crate::lower::security_kind;
use crate::source::{positions, DocKind, SchemaRef, Sources};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Longer `$ref` chains than this are taken as cycles.
const REF_HOPS: usize = 64;

/// The findings for one page of the vendor whose schemas are in `module`.
pub fn page(sources: &Sources, module: &str, file: &Path, page: &Page) -> Vec<Finding> {
    let mut check = Check {
        sources,
        file,
        out: Vec::new(),
    };
    let Some(op) = check.operation(module, page) else {
        check.disagree(
            page.path_line,
            None,
            format!(
                "`{} {}` has no operation in the `{module}` OpenAPI description",
                page.method, page.path
            ),
        );
        return check.out;
    };
    check.params(page, &op);
    check.auth(page, &op);
    check.bodies(page, &op);
    check.out
}

struct Check<'a> {
    sources: &'a Sources,
    file: &'a Path,
    out: Vec<Finding>,
}

impl Check<'_> {
    fn finding(&self, line: usize, kind: Kind, at: Option<&SchemaRef>, message: String) -> Finding {
        Finding {
            file: self.file.to_owned(),
            line,
            kind,
            schema: at.map(|at| self.sources.location(at)),
            message,
        }
    }

    fn disagree(&mut self, line: usize, at: Option<&SchemaRef>, message: String) {
        let finding = self.finding(line, Kind::Disagrees, at, message);
        self.out.push(finding);
    }

    /// The operation object for the page's method and path, in the module's OpenAPI document.
    fn operation(&self, module: &str, page: &Page) -> Option<SchemaRef> {
        self.sources.docs.iter().enumerate().find_map(|(doc, d)| {
            if d.module != module || !matches!(d.kind, DocKind::OpenApi(_)) {
                return None;
            }
            let paths = d.root.get("paths")?.as_object()?;
            let key = paths.keys().find(|k| same_path(k, &page.path))?;
            let at = SchemaRef {
                doc,
                pointer: String::new(),
            }
            .child("paths")
            .child(key)
            .child(&page.method.to_ascii_lowercase());
            self.sources.get(&at).is_some().then_some(at)
        })
    }

    /// The operation's parameters (the path item's, overridden by the operation's), by (name, in).
    fn schema_params(&self, op: &SchemaRef) -> BTreeMap<(String, String), SchemaRef> {
        let item = SchemaRef {
            doc: op.doc,
            pointer: op.pointer[..op.pointer.rfind('/').unwrap_or(0)].to_owned(),
        };
        let mut out = BTreeMap::new();
        for entry in self.sources.parameter_entries(&item, op) {
            let at = self.sources.follow_refs(&entry, REF_HOPS);
            let Some(param) = self.sources.get(&at) else {
                continue;
            };
            let (Some(name), Some(place)) = (
                param.get("name").and_then(Value::as_str),
                param.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            out.insert((name.to_owned(), place.to_owned()), at);
        }
        out
    }

    fn params(&mut self, page: &Page, op: &SchemaRef) {
        let mut schema_params = self.schema_params(op);
        for param in &page.params {
            let key = (param.name.clone(), param.place.as_str().to_owned());
            let Some(at) = schema_params.remove(&key) else {
                let elsewhere = schema_params
                    .keys()
                    .find(|(n, _)| *n == param.name)
                    .cloned();
                match elsewhere {
                    Some(other) => {
                        let at = schema_params.remove(&other).expect("found");
                        self.disagree(
                            param.line,
                            Some(&at),
                            format!(
                                "parameter `{}` is in the {} on the page, in the {} in the schema",
                                param.name,
                                param.place.as_str(),
                                other.1
                            ),
                        );
                    }
                    None => self.disagree(
                        param.line,
                        Some(op),
                        format!(
                            "parameter `{}` ({}{}) is on the page but not in the schema",
                            param.name,
                            param.place.as_str(),
                            if param.required { ", required" } else { "" }
                        ),
                    ),
                }
                continue;
            };
            self.param(page.layout, param, &at);
        }
        for ((name, place), at) in schema_params {
            // Pages without parameter tables (TextUs) show only their path's parameters.
            if !page.layout.shows_parameters() && place != "path" {
                continue;
            }
            self.disagree(
                page.path_line,
                Some(&at),
                format!("parameter `{name}` ({place}) is in the schema but not on the page"),
            );
        }
    }

    fn param(&mut self, layout: Layout, param: &Param, at: &SchemaRef) {
        let value = self.sources.get(at).cloned().unwrap_or(Value::Null);
        let required = value.get("required") == Some(&Value::Bool(true));
        if required != param.required {
            let (page_says, schema_says) = if param.required {
                ("required", "optional")
            } else {
                ("optional", "required")
            };
            self.disagree(
                param.line,
                Some(at),
                format!(
                    "parameter `{}` is {page_says} on the page, {schema_says} in the schema",
                    param.name
                ),
            );
        }
        let schema = self.sources.follow_refs(&at.child("schema"), REF_HOPS);
        let facts = self.facts(&schema);
        if let Some(ty) = &param.ty {
            if !facts.types.is_empty() && !facts.allows(ty) {
                let types: Vec<&str> = facts.types.iter().map(String::as_str).collect();
                self.disagree(
                    param.line,
                    Some(&schema),
                    format!(
                        "parameter `{}` is {ty} on the page, {} in the schema",
                        param.name,
                        types.join(" or ")
                    ),
                );
            }
        }
        if let (Some(format), Some(schema_format)) = (&param.format, &facts.format) {
            if format != schema_format {
                self.disagree(
                    param.line,
                    Some(&schema),
                    format!(
                        "parameter `{}` has format {format} on the page, {schema_format} in the schema",
                        param.name
                    ),
                );
            }
        }
        if layout.shows_options() {
            let listed: Vec<String> = facts.values.iter().map(text).collect();
            let values_at = facts.values_at.clone().unwrap_or_else(|| schema.clone());
            let page_only = param.options.iter().filter(|o| !listed.contains(o));
            let schema_only = listed.iter().filter(|v| !param.options.contains(v));
            let differences = page_only
                .map(|o| format!("option \"{o}\" is on the page but not in the schema's enum"))
                .chain(schema_only.map(|v| {
                    format!(
                        "value \"{v}\" is in the schema's enum but not among the page's options"
                    )
                }));
            for difference in differences.collect::<Vec<_>>() {
                let message = format!("parameter `{}`: {difference}", param.name);
                self.disagree(param.options_line, Some(&values_at), message);
            }
        }
        if layout.shows_ranges() {
            let ends = [
                ("minimum", param.minimum, facts.minimum),
                ("maximum", param.maximum, facts.maximum),
            ];
            for (end, page_bound, schema_bound) in ends {
                if page_bound != schema_bound {
                    self.disagree(
                        param.range_line,
                        Some(&schema),
                        format!(
                            "parameter `{}`: {end} is {} on the page, {} in the schema",
                            param.name,
                            bound_text(page_bound),
                            bound_text(schema_bound)
                        ),
                    );
                }
            }
        }
    }

    /// The page's authentication against the operation's security (its own, else the document's).
    fn auth(&mut self, page: &Page, op: &SchemaRef) {
        let Some(auth) = &page.auth else {
            return;
        };
        let root = SchemaRef {
            doc: op.doc,
            pointer: String::new(),
        };
        let own = op.child("security");
        let requirements = if self.sources.get(&own).is_some() {
            own
        } else {
            root.child("security")
        };
        let names: Vec<String> = self
            .sources
            .get(&requirements)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|r| r.keys().cloned())
            .collect();
        let schemes = root.child("components").child("securitySchemes");
        let sent: Vec<(String, Option<Security>)> = names
            .iter()
            .map(|name| {
                let at = self.sources.follow_refs(&schemes.child(name), REF_HOPS);
                (
                    name.clone(),
                    self.sources
                        .get(&at)
                        .and_then(security_kind)
                        .map(|kind| kind.as_sent()),
                )
            })
            .collect();
        let matches = sent.iter().any(|(name, sends)| {
            sends.as_ref() == Some(&auth.sends) && auth.scheme.as_ref().is_none_or(|s| s == name)
        });
        if matches {
            return;
        }
        let schema_says = if sent.is_empty() {
            "no security".to_owned()
        } else {
            sent.iter()
                .map(|(name, sends)| match sends {
                    Some(sends) => format!("`{name}` ({})", describe(sends)),
                    None => format!("`{name}`"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let named = auth
            .scheme
            .as_ref()
            .map(|s| format!(" (scheme `{s}`)"))
            .unwrap_or_default();
        self.disagree(
            auth.line,
            Some(&requirements),
            format!(
                "the page authenticates with {}{named}; the schema's security for the operation is {schema_says}",
                describe(&auth.sends)
            ),
        );
    }

    /// What the schema at `at` says, gathered through `$ref` and `allOf`.
    fn facts(&self, at: &SchemaRef) -> Facts {
        let mut facts = Facts {
            at: self.sources.follow_refs(at, REF_HOPS),
            ..Facts::default()
        };
        self.gather(at, &mut facts, 0);
        facts
    }

    fn gather(&self, at: &SchemaRef, facts: &mut Facts, depth: usize) {
        let at = self.sources.follow_refs(at, REF_HOPS);
        let Some(Value::Object(map)) = self.sources.get(&at) else {
            return;
        };
        if depth > 16 {
            return;
        }
        match map.get("type") {
            Some(Value::String(t)) => {
                facts.types.insert(t.clone());
            }
            Some(Value::Array(ts)) => {
                facts
                    .types
                    .extend(ts.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            _ => {}
        }
        if map.get("nullable") == Some(&Value::Bool(true)) {
            facts.types.insert("null".into());
        }
        if let Some(Value::String(f)) = map.get("format") {
            facts.format.get_or_insert_with(|| f.clone());
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            facts.values.extend(values.iter().cloned());
            facts.values_at.get_or_insert_with(|| at.child("enum"));
        }
        if let Some(value) = map.get("const") {
            facts.values.push(value.clone());
            facts.values_at.get_or_insert_with(|| at.child("const"));
        }
        let number = |key: &str| map.get(key).and_then(Value::as_f64);
        if let Some(v) = number("minimum") {
            facts.minimum = Some(Bound {
                value: v,
                exclusive: false,
            });
        }
        if let Some(v) = number("exclusiveMinimum") {
            facts.minimum = Some(Bound {
                value: v,
                exclusive: true,
            });
        }
        if let Some(v) = number("maximum") {
            facts.maximum = Some(Bound {
                value: v,
                exclusive: false,
            });
        }
        if let Some(v) = number("exclusiveMaximum") {
            facts.maximum = Some(Bound {
                value: v,
                exclusive: true,
            });
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            for name in props.keys() {
                facts
                    .properties
                    .entry(name.clone())
                    .or_insert_with(|| at.child("properties").child(name));
            }
        }
        if let Some(Value::Array(names)) = map.get("required") {
            facts
                .required
                .extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        match map.get("additionalProperties") {
            Some(Value::Object(_)) => facts.additional = Some(at.child("additionalProperties")),
            Some(Value::Bool(false)) => facts.closed = true,
            _ => {}
        }
        if map.contains_key("items") {
            facts.items = Some(at.child("items"));
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = map.get(key) {
                facts
                    .branches
                    .extend((0..branches.len()).map(|i| at.child(key).child(&i.to_string())));
            }
        }
        if let Some(Value::Array(parts)) = map.get("allOf") {
            for i in 0..parts.len() {
                self.gather(&at.child("allOf").child(&i.to_string()), facts, depth + 1);
            }
        }
    }

    /// The success answer (or the `index`-th error answer, for the bodies after the first): its
    /// status, its `content`, and the schema in the page's media type or JSON.
    fn answer(&self, page: &Page, op: &SchemaRef, index: usize) -> Option<Answer> {
        let responses = op.child("responses");
        let Some(Value::Object(map)) = self.sources.get(&responses) else {
            return None;
        };
        let success = page.status.map(|(s, _)| s.to_string());
        let status = if index == 0 {
            success
                .filter(|s| map.contains_key(s))
                .or_else(|| map.keys().find(|k| k.starts_with('2')).cloned())?
        } else {
            // Error bodies in the order of their statuses; more bodies than statuses share the last.
            let errors: Vec<&String> = map.keys().filter(|k| !k.starts_with('2')).collect();
            (*errors.get(index - 1).or(errors.last())?).clone()
        };
        let response = self
            .sources
            .follow_refs(&responses.child(&status), REF_HOPS);
        let content = response.child("content");
        let Some(Value::Object(media)) = self.sources.get(&content) else {
            return None;
        };
        let key = page
            .media_type
            .as_ref()
            .filter(|m| media.contains_key(*m))
            .cloned()
            .or_else(|| media.keys().find(|k| k.contains("json")).cloned())?;
        Some(Answer {
            status,
            schema: content.child(&key).child("schema"),
            offered: media.keys().cloned().collect(),
            content,
        })
    }

    fn bodies(&mut self, page: &Page, op: &SchemaRef) {
        if let (Some((status, line)), Some(Value::Object(responses))) =
            (page.status, self.sources.get(&op.child("responses")))
        {
            if !responses.contains_key(&status.to_string()) {
                self.disagree(
                    line,
                    Some(&op.child("responses")),
                    format!("the page answers {status}; the schema lists no {status} answer"),
                );
            }
        }
        let success = self.answer(page, op, 0);
        if let (Some(media), Some(success)) = (&page.media_type, &success) {
            if !success.offered.contains(media) {
                self.disagree(
                    page.path_line,
                    Some(&success.content),
                    format!(
                        "the page's answer is {media}; the schema's answer offers {}",
                        success.offered.join(", ")
                    ),
                );
            }
        }
        if let (true, Some(success)) = (page.bodies.is_empty(), &success) {
            self.disagree(
                page.path_line,
                Some(&success.schema),
                format!(
                    "the schema's {} answer has a body, but the page shows no example of it",
                    success.status
                ),
            );
        }
        let mut walk = Walk::default();
        for (index, body) in page.bodies.iter().enumerate() {
            let answer = if index == 0 {
                success.clone()
            } else {
                self.answer(page, op, index)
            };
            let Some(Answer { status, schema, .. }) = answer else {
                self.disagree(
                    body.line,
                    Some(&op.child("responses")),
                    format!(
                        "example body {} has no answer schema to hold it against",
                        index + 1
                    ),
                );
                continue;
            };
            let example = Example {
                body,
                status: &status,
            };
            self.walk(&example, &body.value, "", &schema, &mut walk, 0);
        }
        self.out.append(&mut walk.found);
        for (prop, declared) in &walk.declared {
            if walk.seen.contains(prop) {
                continue;
            }
            // A required property the examples lack: the generated decoder refuses such answers.
            let (kind, what) = if declared.required {
                (Kind::Disagrees, "required in the schema")
            } else {
                (Kind::Unshown, "in the schema")
            };
            let message = format!(
                "property {} is {what}, but no example on the page shows it",
                declared.name
            );
            let finding = self.finding(declared.line, kind, Some(prop), message);
            self.out.push(finding);
        }
    }

    /// Holds the example's `value` at `pointer` against the schema at `at`.
    fn walk(
        &self,
        example: &Example,
        value: &Value,
        pointer: &str,
        at: &SchemaRef,
        walk: &mut Walk,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        let facts = self.facts(at);
        let at = &facts.at;
        let shown = if pointer.is_empty() {
            "the body"
        } else {
            pointer
        };
        if !facts.branches.is_empty() {
            // The branch the example fits best: fewest findings, then the first.
            let mut best: Option<Walk> = None;
            for branch in &facts.branches {
                let mut trial = Walk::default();
                self.walk(example, value, pointer, branch, &mut trial, depth + 1);
                if best
                    .as_ref()
                    .is_none_or(|b| trial.found.len() < b.found.len())
                {
                    best = Some(trial);
                }
            }
            if let Some(best) = best {
                walk.absorb(best);
            }
        }
        let kind = json_type(value);
        if !facts.types.is_empty() && !facts.allows(kind) {
            let types: Vec<&str> = facts.types.iter().map(String::as_str).collect();
            let message = format!(
                "{} example: {shown} is {kind} on the page, {} in the schema",
                example.status,
                types.join(" or ")
            );
            self.found(example, pointer, at, message, walk);
            return;
        }
        if !facts.values.is_empty()
            && !placeholder(value)
            && !value.is_null()
            && !facts.values.contains(value)
        {
            let message = format!(
                "{} example: {shown} is {value}, which the schema does not list",
                example.status
            );
            let values_at = facts.values_at.clone().unwrap_or_else(|| at.clone());
            self.found(example, pointer, &values_at, message, walk);
        }
        match value {
            Value::Object(members) => {
                self.walk_object(example, members, pointer, &facts, walk, depth)
            }
            Value::Array(items) => {
                if let Some(items_at) = &facts.items {
                    for (i, item) in items.iter().enumerate() {
                        let item_pointer = format!("{pointer}/{i}");
                        self.walk(example, item, &item_pointer, items_at, walk, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn walk_object(
        &self,
        example: &Example,
        members: &Map<String, Value>,
        pointer: &str,
        facts: &Facts,
        walk: &mut Walk,
        depth: usize,
    ) {
        let line = example.body.line_of(pointer);
        let shown = if pointer.is_empty() {
            "the body"
        } else {
            pointer
        };
        for (name, prop) in &facts.properties {
            walk.declared
                .entry(prop.clone())
                .or_insert_with(|| Declared {
                    line,
                    name: format!("`{name}` of the object at {shown}"),
                    required: facts.required.contains(name),
                });
        }
        for (key, member) in members {
            // `phoneNumbers?`: the page's way of marking an optional property.
            let name = key.strip_suffix('?').unwrap_or(key);
            let member_pointer = format!("{pointer}/{}", positions::escape_token(key));
            let schema = if let Some(prop) = facts.properties.get(name) {
                walk.seen.insert(prop.clone());
                prop.clone()
            } else if let Some(extra) = &facts.additional {
                extra.clone()
            } else {
                // An object schema that lists properties (or allows no others) lacks this one.
                if facts.branches.is_empty() && (facts.closed || !facts.properties.is_empty()) {
                    let message = format!(
                        "{} example: property `{name}` ({}) at {member_pointer} is not in the schema",
                        example.status,
                        json_type(member)
                    );
                    self.found(example, &member_pointer, &facts.at, message, walk);
                }
                continue;
            };
            self.walk(example, member, &member_pointer, &schema, walk, depth + 1);
        }
    }

    /// Records a difference at `pointer` in the example, about the schema at `at`.
    fn found(
        &self,
        example: &Example,
        pointer: &str,
        at: &SchemaRef,
        message: String,
        walk: &mut Walk,
    ) {
        let line = example.body.line_of(pointer);
        walk.found
            .push(self.finding(line, Kind::Disagrees, Some(at), message));
    }
}

/// An answer of the operation's, as an example body is held against it.
#[derive(Clone)]
struct Answer {
    status: String,
    /// Its `content` (the media types it offers, by name in `offered`).
    content: SchemaRef,
    offered: Vec<String>,
    /// The schema of the media type the example is held against.
    schema: SchemaRef,
}

/// One example body, and the status of the answer it is held against.
struct Example<'b> {
    body: &'b Body,
    status: &'b str,
}

/// Which schema properties the examples declared (with the page line of the object first holding
/// them) and showed, and what differed.
#[derive(Default)]
struct Walk {
    declared: BTreeMap<SchemaRef, Declared>,
    seen: BTreeSet<SchemaRef>,
    /// The differences found on the way.
    found: Vec<Finding>,
}

/// A schema property an example object could have shown.
struct Declared {
    /// The page line of the first object that could have.
    line: usize,
    /// How findings name it.
    name: String,
    required: bool,
}

impl Walk {
    fn absorb(&mut self, other: Walk) {
        for (k, v) in other.declared {
            self.declared.entry(k).or_insert(v);
        }
        self.seen.extend(other.seen);
        self.found.extend(other.found);
    }
}

#[derive(Default)]
struct Facts {
    /// The schema they are of, past its `$ref`s.
    at: SchemaRef,
    types: BTreeSet<String>,
    format: Option<String>,
    values: Vec<Value>,
    values_at: Option<SchemaRef>,
    minimum: Option<Bound>,
    maximum: Option<Bound>,
    properties: BTreeMap<String, SchemaRef>,
    required: BTreeSet<String>,
    additional: Option<SchemaRef>,
    closed: bool,
    items: Option<SchemaRef>,
    branches: Vec<SchemaRef>,
}

impl Facts {
    fn allows(&self, kind: &str) -> bool {
        self.types.contains(kind) || (kind == "integer" && self.types.contains("number"))
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `"<string>"`, `"string"`: a stand-in for "a value of this type", not a value.
fn placeholder(value: &Value) -> bool {
    matches!(value, Value::String(s) if s == "string" || (s.starts_with('<') && s.ends_with('>')))
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn bound_text(bound: Option<Bound>) -> String {
    match bound {
        None => "not set".into(),
        Some(b) if b.exclusive => format!("{} (exclusive)", b.value),
        Some(b) => b.value.to_string(),
    }
}

/// Whether two OpenAPI path keys are the same path, whatever their parameters are called.
fn same_path(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (x.starts_with('{') && y.starts_with('{')))
}
