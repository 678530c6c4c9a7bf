//! What a change of the schemas means for code that uses the generated crate: two API manifests
//! (`api.json`, see `emit`) compared, each difference classified the way a careful reviewer would.
//!
//! - **breaks compilation**: a type, field, variant, operation or parameter removed or renamed; a
//!   field's type or presence changed (`Option<T>` → `T`, `Option<T>` → `Nullable<T>`); a new
//!   required field (struct literals stop compiling) or builder parameter or body; an operation
//!   moved to another cargo feature, or a field that now needs features its struct does not;
//! - **breaks at run time**: a response property became required (answers without it stop
//!   decoding); a parameter moved to another place or got a tighter check; an operation's method,
//!   path or security, the default server or how a credential is sent changed;
//! - **additive**: a new type, operation, optional parameter or enum value (enums are open and
//!   `#[non_exhaustive]`, so a new value is harmless), a new optional field (a type sent in
//!   requests is made with its `new` or `Default` and struct update syntax, which a new optional
//!   field does not break; the message says that a literal naming every field does).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How much a change matters to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    BreaksCompilation,
    BreaksAtRunTime,
    Additive,
}

impl Impact {
    pub fn heading(self) -> &'static str {
        match self {
            Impact::BreaksCompilation => "breaks compilation",
            Impact::BreaksAtRunTime => "breaks decoding or requests at run time",
            Impact::Additive => "additive",
        }
    }
}

/// One difference between two manifests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub module: String,
    pub impact: Impact,
    /// Where it comes from: the schema file and pointer of a type, or an operation's method and path.
    pub origin: String,
    pub message: String,
}

/// Every difference from `old` to `new`, by module, most serious first.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let old_modules = by_name(&old["modules"]);
    let new_modules = by_name(&new["modules"]);
    let sent = sent_types(old);
    for (name, _) in &old_modules {
        if !new_modules.iter().any(|(n, _)| n == name) {
            out.push(change(
                name,
                Impact::BreaksCompilation,
                "",
                format!("module `{name}` removed"),
            ));
        }
    }
    for (name, new_module) in &new_modules {
        let Some((_, old_module)) = old_modules.iter().find(|(n, _)| n == name) else {
            out.push(change(
                name,
                Impact::Additive,
                "",
                format!("module `{name}` added"),
            ));
            continue;
        };
        // Manifests written before they held the servers and credentials have nothing to compare.
        if old_module.get("api").is_some() {
            compare_api(name, &old_module["api"], &new_module["api"], &mut out);
        }
        compare_types(
            name,
            &old_module["types"],
            &new_module["types"],
            &sent,
            &mut out,
        );
        compare_operations(
            name,
            &old_module["operations"],
            &new_module["operations"],
            &mut out,
        );
        compare_webhooks(name, old_module, new_module, &mut out);
    }
    out.sort_by(|a, b| {
        (&a.module, a.impact, &a.origin, &a.message)
            .cmp(&(&b.module, b.impact, &b.origin, &b.message))
    });
    out
}

/// The types (as `crate::module::Name`) that code using the crate builds: those of request bodies
/// and parameters, and every type they hold.
fn sent_types(manifest: &Value) -> BTreeSet<String> {
    let mut types = BTreeMap::new();
    let mut todo = Vec::new();
    for (module, entry) in by_name(&manifest["modules"]) {
        for op in entry["operations"].as_array().into_iter().flatten() {
            type_names_in(&op["body"], &mut todo);
            type_names_in(&op["params"], &mut todo);
        }
        for (name, def) in by_name(&entry["types"]) {
            types.insert(format!("crate::{module}::{name}"), def);
        }
    }
    let mut sent = BTreeSet::new();
    while let Some(path) = todo.pop() {
        if let Some(def) = types.get(&path) {
            if sent.insert(path) {
                type_names_in(def, &mut todo);
            }
        }
    }
    sent
}

/// Every `crate::module::Name` named in the strings of `value`.
fn type_names_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            let mut rest = text.as_str();
            while let Some(start) = rest.find("crate::") {
                let tail = &rest[start..];
                let end = tail
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(tail.len());
                out.push(tail[..end].to_owned());
                rest = &tail[end..];
            }
        }
        Value::Array(items) => items.iter().for_each(|v| type_names_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| type_names_in(v, out)),
        _ => {}
    }
}

fn change(module: &str, impact: Impact, origin: &str, message: String) -> Change {
    Change {
        module: module.to_owned(),
        impact,
        origin: origin.to_owned(),
        message,
    }
}

/// A list of named entries, by name.
fn by_name(list: &Value) -> Vec<(String, &Value)> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| Some((item["name"].as_str()?.to_owned(), item)))
                .collect()
        })
        .unwrap_or_default()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn compare_types(
    module: &str,
    old: &Value,
    new: &Value,
    sent: &BTreeSet<String>,
    out: &mut Vec<Change>,
) {
    let (old, new) = (by_name(old), by_name(new));
    for (name, old_type) in &old {
        let origin = text(&old_type["origin"]);
        let Some((_, new_type)) = new.iter().find(|(n, _)| n == name) else {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &origin,
                format!("type `{name}` removed"),
            ));
            continue;
        };
        let origin = text(&new_type["origin"]);
        if old_type["kind"] != new_type["kind"] {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &origin,
                format!(
                    "`{name}` changed from {} to {}",
                    text(&old_type["kind"]),
                    text(&new_type["kind"])
                ),
            ));
            continue;
        }
        match new_type["kind"].as_str() {
            Some("struct") => compare_fields(
                module,
                name,
                &origin,
                (old_type, new_type),
                sent.contains(&format!("crate::{module}::{name}")),
                out,
            ),
            Some("enum") => compare_variants(module, name, &origin, old_type, new_type, out),
            // Unions, aliases and checked types: any change is one Rust code sees.
            _ if old_type != new_type => out.push(change(
                module,
                Impact::BreaksCompilation,
                &origin,
                format!("`{name}` changed its variants or type"),
            )),
            _ => {}
        }
    }
    for (name, new_type) in &new {
        if !old.iter().any(|(n, _)| n == name) {
            out.push(change(
                module,
                Impact::Additive,
                &text(&new_type["origin"]),
                format!("type `{name}` added"),
            ));
        }
    }
}

/// Compares a struct's fields. `sent`: code that uses the crate builds values of it (a request body
/// or parameter, or a part of one), so struct literals of it exist.
fn compare_fields(
    module: &str,
    ty: &str,
    origin: &str,
    (old, new): (&Value, &Value),
    sent: bool,
    out: &mut Vec<Change>,
) {
    let (old_fields, new_fields) = (by_name(&old["fields"]), by_name(&new["fields"]));
    // A field names its property's pointer; manifests written before fields had one name the struct's.
    let at = |field: &Value| field["origin"].as_str().unwrap_or(origin).to_owned();
    for (name, old_field) in &old_fields {
        let Some((_, new_field)) = new_fields.iter().find(|(n, _)| n == name) else {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &at(old_field),
                format!("field `{ty}.{name}` removed"),
            ));
            continue;
        };
        let origin = &at(new_field);
        if old_field["type"] != new_field["type"] || old_field["boxed"] != new_field["boxed"] {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!(
                    "field `{ty}.{name}` changed type: {} → {}",
                    text(&old_field["type"]),
                    text(&new_field["type"])
                ),
            ));
        }
        if let Some(narrowed) = narrowed_features(old_field, new_field) {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!(
                    "field `{ty}.{name}` now compiles only with {narrowed} on (code built \
                     without them no longer has it; the property is kept in the unknown ones)"
                ),
            ));
        }
        let (was, is) = (text(&old_field["presence"]), text(&new_field["presence"]));
        if was != is {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!("field `{ty}.{name}` changed presence: {was} → {is}"),
            ));
            if is.starts_with("required") && !was.starts_with("required") {
                out.push(change(
                    module,
                    Impact::BreaksAtRunTime,
                    origin,
                    format!("`{ty}.{name}` became required: answers without it no longer decode"),
                ));
            }
        }
    }
    for (name, new_field) in &new_fields {
        if old_fields.iter().any(|(n, _)| n == name) {
            continue;
        }
        let origin = &at(new_field);
        let presence = text(&new_field["presence"]);
        if presence.starts_with("required") {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!("required field `{ty}.{name}` added: struct literals need it"),
            ));
            out.push(change(
                module,
                Impact::BreaksAtRunTime,
                origin,
                format!("required field `{ty}.{name}` added: answers without it no longer decode"),
            ));
        } else if sent {
            out.push(change(
                module,
                Impact::Additive,
                origin,
                format!(
                    "optional field `{ty}.{name}` added (`{ty}` is sent in requests: code that \
                     makes it with `new` or `Default` and `..` is unaffected; a struct literal \
                     naming every field needs it)"
                ),
            ));
        } else {
            out.push(change(
                module,
                Impact::Additive,
                origin,
                format!("optional field `{ty}.{name}` added"),
            ));
        }
    }
    if old["unknown_properties"] != new["unknown_properties"] {
        out.push(change(
            module,
            Impact::BreaksAtRunTime,
            origin,
            format!("`{ty}` changed how it treats unknown properties"),
        ));
    }
}

/// The features a field now needs that it did not (a field without `features` compiles with its
/// struct), as a list for the message; `None` when none of its former ones went away.
fn narrowed_features(old: &Value, new: &Value) -> Option<String> {
    let names = |field: &Value| -> Option<BTreeSet<String>> {
        let list = field["features"].as_array()?;
        Some(list.iter().map(text).collect())
    };
    let now = names(new)?;
    if names(old).is_some_and(|before| now.is_superset(&before)) {
        return None;
    }
    let listed: Vec<String> = now.iter().map(|f| format!("`{f}`")).collect();
    Some(match listed.len() {
        1 => format!("feature {}", listed[0]),
        n if n <= 3 => format!("any of features {}", listed.join(", ")),
        n => format!("any of {n} features ({}, …)", listed[..3].join(", ")),
    })
}

fn compare_variants(
    module: &str,
    ty: &str,
    origin: &str,
    old: &Value,
    new: &Value,
    out: &mut Vec<Change>,
) {
    let (old_variants, new_variants) = (by_name(&old["variants"]), by_name(&new["variants"]));
    for (name, variant) in &old_variants {
        if !new_variants
            .iter()
            .any(|(n, v)| n == name && v["value"] == variant["value"])
        {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!("enum value `{ty}::{name}` ({}) removed", variant["value"]),
            ));
        }
    }
    for (name, variant) in &new_variants {
        if !old_variants
            .iter()
            .any(|(n, v)| n == name && v["value"] == variant["value"])
        {
            out.push(change(
                module,
                Impact::Additive,
                origin,
                format!(
                    "enum value `{ty}::{name}` ({}) added (the enum is open and non-exhaustive: matches keep compiling; the value, which arrived as `Other`, arrives as `{ty}::{name}`)",
                    variant["value"]
                ),
            ));
        }
    }
}

fn compare_operations(module: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (old, new) = (by_name(old), by_name(new));
    let place = |op: &Value| format!("{} {}", text(&op["method"]), text(&op["path"]));
    for (name, old_op) in &old {
        let Some((_, new_op)) = new.iter().find(|(n, _)| n == name) else {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &place(old_op),
                format!("operation `{name}` removed"),
            ));
            continue;
        };
        let origin = place(new_op);
        for key in ["method", "path", "security"] {
            if old_op[key] != new_op[key] {
                out.push(change(
                    module,
                    Impact::BreaksAtRunTime,
                    &origin,
                    format!(
                        "`{name}` changed its {key}: {} → {}",
                        text(&old_op[key]),
                        text(&new_op[key])
                    ),
                ));
            }
        }
        // A manifest from before features per group has none to compare.
        if !old_op["feature"].is_null() && old_op["feature"] != new_op["feature"] {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &origin,
                format!(
                    "`{name}` moved to another cargo feature: {} → {} (code built with only the old one's features no longer has it)",
                    text(&old_op["feature"]),
                    text(&new_op["feature"])
                ),
            ));
        }
        for key in ["responses", "error"] {
            if old_op[key] != new_op[key] {
                out.push(change(
                    module,
                    Impact::BreaksCompilation,
                    &origin,
                    format!("`{name}` changed its {key}"),
                ));
            }
        }
        compare_errors(module, &origin, name, (old_op, new_op), out);
        let what = format!("response header `{name}`");
        compare_headers(module, &origin, &what, (old_op, new_op), out);
        compare_body(
            module,
            &origin,
            name,
            (&old_op["body"], &new_op["body"]),
            out,
        );
        let (old_params, new_params) = (by_name(&old_op["params"]), by_name(&new_op["params"]));
        for (param, old_param) in &old_params {
            let Some((_, new_param)) = new_params.iter().find(|(n, _)| n == param) else {
                out.push(change(
                    module,
                    Impact::BreaksCompilation,
                    &origin,
                    format!("parameter `{name}.{param}` removed"),
                ));
                continue;
            };
            if old_param["type"] != new_param["type"]
                || old_param["required"] != new_param["required"]
            {
                out.push(change(
                    module,
                    Impact::BreaksCompilation,
                    &origin,
                    format!("parameter `{name}.{param}` changed its type or became (not) required"),
                ));
            }
            // (Manifests written before parameters had their checks have none to compare.)
            if old_param.get("constraints").is_some() {
                compare_constraints(
                    module,
                    &origin,
                    &format!("{name}.{param}"),
                    (&old_param["constraints"], &new_param["constraints"]),
                    out,
                );
            }
            if old_param["in"] != new_param["in"] || old_param["wire"] != new_param["wire"] {
                out.push(change(
                    module,
                    Impact::BreaksAtRunTime,
                    &origin,
                    format!(
                        "parameter `{name}.{param}` is now sent as `{}` in the {}",
                        text(&new_param["wire"]),
                        text(&new_param["in"])
                    ),
                ));
            }
        }
        for (param, new_param) in &new_params {
            if old_params.iter().any(|(n, _)| n == param) {
                continue;
            }
            if new_param["required"] == Value::Bool(true) && new_param["constant"].is_null() {
                out.push(change(
                    module,
                    Impact::BreaksCompilation,
                    &origin,
                    format!("required parameter `{name}.{param}` added: `.build()` needs it"),
                ));
            } else {
                out.push(change(
                    module,
                    Impact::Additive,
                    &origin,
                    format!("parameter `{name}.{param}` added"),
                ));
            }
        }
    }
    for (name, new_op) in &new {
        if !old.iter().any(|(n, _)| n == name) {
            out.push(change(
                module,
                Impact::Additive,
                &place(new_op),
                format!("operation `{name}` added"),
            ));
        }
    }
}

/// The variants of an operation's `Error` enum, when it has one before and after (a change of the
/// error type itself is reported with `error`): the enum is non-exhaustive, so a new status is
/// additive; a status removed, or its body's type changed, breaks matches on it.
fn compare_errors(
    module: &str,
    origin: &str,
    op: &str,
    (old, new): (&Value, &Value),
    out: &mut Vec<Change>,
) {
    if old["error"] != "Error" || new["error"] != "Error" {
        return;
    }
    let statuses = |op: &Value| -> Vec<(String, Value)> {
        op["errors"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|e| Some((e["status"].as_str()?.to_owned(), e["type"].clone())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (old_errors, new_errors) = (statuses(old), statuses(new));
    for (status, ty) in &old_errors {
        match new_errors.iter().find(|(s, _)| s == status) {
            None => out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!("error answer `{op}` `{status}` removed (its `Error` variant is gone)"),
            )),
            Some((_, new_ty)) if new_ty != ty => out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!(
                    "error answer `{op}` `{status}` changed its body: {} → {}",
                    text(ty),
                    text(new_ty)
                ),
            )),
            Some(_) => {}
        }
    }
    for (status, ty) in &new_errors {
        if !old_errors.iter().any(|(s, _)| s == status) {
            out.push(change(
                module,
                Impact::Additive,
                origin,
                format!(
                    "error answer `{op}` `{status}` ({}) added (the `Error` enum is non-exhaustive: matches keep compiling; the answer, which arrived as `Other` or a range, arrives as its own variant)",
                    text(ty)
                ),
            ));
        }
    }
}

/// The declared headers of an operation's answers or of an event (its `Headers`,
/// non-exhaustive): a new one is additive; one removed or read as another type breaks code that
/// reads it. `what` names them in the messages (``response header `SendMessage` ``).
fn compare_headers(
    module: &str,
    origin: &str,
    what: &str,
    (old, new): (&Value, &Value),
    out: &mut Vec<Change>,
) {
    let (old_headers, new_headers) = (by_name(&old["headers"]), by_name(&new["headers"]));
    for (name, header) in &old_headers {
        match new_headers.iter().find(|(n, _)| n == name) {
            None => out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!("{what} `{}` removed", text(&header["wire_name"])),
            )),
            Some((_, new_header)) if new_header["type"] != header["type"] => out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!(
                    "{what} `{}` changed its type: {} → {}",
                    text(&header["wire_name"]),
                    text(&header["type"]),
                    text(&new_header["type"])
                ),
            )),
            Some(_) => {}
        }
    }
    for (name, header) in &new_headers {
        if !old_headers.iter().any(|(n, _)| n == name) {
            out.push(change(
                module,
                Impact::Additive,
                origin,
                format!(
                    "{what} `{}` ({}) declared",
                    text(&header["wire_name"]),
                    text(&header["type"])
                ),
            ));
        }
    }
}

/// A module's webhook events (`webhooks::Event` and `EventKind`, both non-exhaustive): a new
/// event is additive; one removed, or its payload read as another type, breaks code that
/// matches it; its name, method or tag value changed, or the property the events are told
/// apart by, breaks receiving at run time. (A payload's fields are compared with its type.)
fn compare_webhooks(module: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (old_events, new_events) = (by_name(&old["webhooks"]), by_name(&new["webhooks"]));
    for (name, was) in &old_events {
        let Some((_, is)) = new_events.iter().find(|(n, _)| n == name) else {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &text(&was["origin"]),
                format!("webhook event `{name}` removed"),
            ));
            continue;
        };
        let origin = text(&is["origin"]);
        if was["payload"] != is["payload"] {
            out.push(change(
                module,
                Impact::BreaksCompilation,
                &origin,
                format!(
                    "webhook event `{name}` reads its payload otherwise: {} → {}",
                    text(&was["payload"]),
                    text(&is["payload"])
                ),
            ));
        }
        for key in ["key", "method", "tag"] {
            if was[key] != is[key] {
                out.push(change(
                    module,
                    Impact::BreaksAtRunTime,
                    &origin,
                    format!(
                        "webhook event `{name}` changed its {key}: {} → {}",
                        text(&was[key]),
                        text(&is[key])
                    ),
                ));
            }
        }
        let what = format!("event header `{name}`");
        compare_headers(module, &origin, &what, (was, is), out);
    }
    for (name, is) in &new_events {
        if !old_events.iter().any(|(n, _)| n == name) {
            out.push(change(
                module,
                Impact::Additive,
                &text(&is["origin"]),
                format!("webhook event `{name}` added"),
            ));
        }
    }
    if old.get("webhooks").is_some() && old["event_tag"] != new["event_tag"] {
        let message = match (old["event_tag"].is_null(), new["event_tag"].is_null()) {
            (_, true) => {
                "the events are no longer told apart by their payload: `Event::from_body` is gone"
                    .to_owned()
            }
            (true, false) => format!(
                "the events are told apart by `{}`: `Event::from_body` added",
                text(&new["event_tag"])
            ),
            _ => format!(
                "the events are told apart by another property: {} → {}",
                text(&old["event_tag"]),
                text(&new["event_tag"])
            ),
        };
        let impact = match new["event_tag"].is_null() {
            true => Impact::BreaksCompilation,
            false if old["event_tag"].is_null() => Impact::Additive,
            false => Impact::BreaksAtRunTime,
        };
        out.push(change(module, impact, "", message));
    }
    let (was, is) = (
        &old["api"]["webhook_signature"],
        &new["api"]["webhook_signature"],
    );
    if old["api"].get("webhook_signature").is_some() && was != is {
        let (impact, message) = match (was.is_null(), is.is_null()) {
            (_, true) => (
                Impact::BreaksCompilation,
                "`webhooks::verifier` removed: the document no longer says how webhooks are signed"
                    .to_owned(),
            ),
            (true, false) => (
                Impact::Additive,
                format!("`webhooks::verifier` added ({})", text(is)),
            ),
            _ => (
                Impact::BreaksAtRunTime,
                format!(
                    "webhooks are signed otherwise: {} → {}",
                    text(was),
                    text(is)
                ),
            ),
        };
        out.push(change(module, impact, "", message));
    }
}

/// A request body: its types and media types are what `.body(…)` takes; whether it is required
/// decides whether `.build()` compiles without one.
fn compare_body(
    module: &str,
    origin: &str,
    op: &str,
    (old, new): (&Value, &Value),
    out: &mut Vec<Change>,
) {
    let required = |body: &Value| body["required"] == Value::Bool(true);
    let (impact, message) = if old["contents"] != new["contents"] {
        if old.is_null() && !required(new) {
            (Impact::Additive, format!("`{op}` takes an optional body"))
        } else {
            (
                Impact::BreaksCompilation,
                format!("`{op}` changed its body's types or media types"),
            )
        }
    } else if required(new) && !required(old) {
        (
            Impact::BreaksCompilation,
            format!("`{op}`'s body became required: `.build()` needs it"),
        )
    } else if required(old) && !required(new) {
        (Impact::Additive, format!("`{op}`'s body became optional"))
    } else {
        return;
    };
    out.push(change(module, impact, origin, message));
}

/// The default server and the credentials: `api()`'s arguments, where requests go, how they
/// authenticate.
fn compare_api(module: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let file = new["origin"]
        .as_str()
        .or(old["origin"].as_str())
        .unwrap_or_default();
    let servers = format!("{file}#/servers");
    let (was, is) = (&old["base_url"], &new["base_url"]);
    match (was.as_str(), is.as_str()) {
        (Some(a), Some(b)) if a != b => out.push(change(
            module,
            Impact::BreaksAtRunTime,
            &servers,
            format!("the default server changed: {a} → {b}"),
        )),
        (None, Some(b)) => out.push(change(
            module,
            Impact::BreaksCompilation,
            &servers,
            format!("`api()` no longer takes a base URL: it uses the default server {b}"),
        )),
        (Some(a), None) => out.push(change(
            module,
            Impact::BreaksCompilation,
            &servers,
            format!("`api()` takes a base URL: the default server {a} is gone"),
        )),
        _ => {}
    }
    let scheme = |api: &Value, name: &Value| {
        by_name(&api["schemes"])
            .into_iter()
            .find(|(n, _)| Some(n.as_str()) == name.as_str())
            .map(|(_, s)| s.clone())
            .unwrap_or(Value::Null)
    };
    let (was, is) = (
        scheme(old, &old["default_scheme"]),
        scheme(new, &new["default_scheme"]),
    );
    let security = format!("{file}#/security");
    if was["arguments"] != is["arguments"] {
        out.push(change(
            module,
            Impact::BreaksCompilation,
            &security,
            format!(
                "`api()` takes other credential arguments: {} → {}",
                text(&was["arguments"]),
                text(&is["arguments"])
            ),
        ));
    } else if was != is {
        out.push(change(
            module,
            Impact::BreaksAtRunTime,
            &security,
            format!(
                "`api()` authenticates otherwise: {} → {}",
                text(&was["sends"]),
                text(&is["sends"])
            ),
        ));
    }
    let (old_schemes, new_schemes) = (by_name(&old["schemes"]), by_name(&new["schemes"]));
    for (name, was) in &old_schemes {
        let function = text(&was["function"]);
        let origin = &scheme_origin(file, name);
        match new_schemes.iter().find(|(n, _)| n == name) {
            None => out.push(change(
                module,
                Impact::BreaksCompilation,
                origin,
                format!("security scheme `{name}` removed, and `credentials::{function}` with it"),
            )),
            Some((_, is)) if was["arguments"] != is["arguments"] || was["function"] != is["function"] => {
                out.push(change(
                    module,
                    Impact::BreaksCompilation,
                    origin,
                    format!("`credentials::{function}` of security scheme `{name}` changed its arguments"),
                ))
            }
            Some((_, is)) if was["sends"] != is["sends"] => out.push(change(
                module,
                Impact::BreaksAtRunTime,
                origin,
                format!(
                    "security scheme `{name}` sends its credential otherwise: {} → {}",
                    text(&was["sends"]),
                    text(&is["sends"])
                ),
            )),
            Some(_) => {}
        }
    }
    for (name, _) in &new_schemes {
        if !old_schemes.iter().any(|(n, _)| n == name) {
            out.push(change(
                module,
                Impact::Additive,
                &scheme_origin(file, name),
                format!("security scheme `{name}` added"),
            ));
        }
    }
}

/// `file#/components/securitySchemes/<name>`.
fn scheme_origin(file: &str, name: &str) -> String {
    let name = crate::source::positions::escape_token(name);
    format!("{file}#/components/securitySchemes/{name}")
}

/// The checks `.build()` makes on a parameter: a tighter one refuses values that were sent before.
fn compare_constraints(
    module: &str,
    origin: &str,
    param: &str,
    (old, new): (&Value, &Value),
    out: &mut Vec<Change>,
) {
    // Whether a larger value of the key accepts fewer values.
    const KEYS: [(&str, bool); 7] = [
        ("minimum", true),
        ("exclusive_minimum", true),
        ("min_length", true),
        ("maximum", false),
        ("exclusive_maximum", false),
        ("max_length", false),
        ("pattern", true),
    ];
    for (key, larger_is_tighter) in KEYS {
        let (was, is) = (&old[key], &new[key]);
        if was == is {
            continue;
        }
        let tighter = match (was.as_f64(), is.as_f64()) {
            (Some(a), Some(b)) => (b > a) == larger_is_tighter,
            // A check added, or a pattern changed: values that passed may not; a check removed
            // accepts more.
            _ => !is.is_null(),
        };
        let shown = |v: &Value| {
            if v.is_null() {
                "none".to_owned()
            } else {
                text(v)
            }
        };
        let what = format!("parameter `{param}`: {key} {} → {}", shown(was), shown(is));
        let (impact, message) = if tighter {
            (
                Impact::BreaksAtRunTime,
                format!("{what}: `.build()` refuses values it accepted"),
            )
        } else {
            (
                Impact::Additive,
                format!("{what}: more values are accepted"),
            )
        };
        out.push(change(module, impact, origin, message));
    }
}

/// The changes as a short text report, by module, then by impact.
pub struct Report<'a>(pub &'a [Change]);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut module = None;
        let mut impact = None;
        for c in self.0 {
            if module != Some(&c.module) {
                writeln!(f, "{}:", c.module)?;
                module = Some(&c.module);
                impact = None;
            }
            if impact != Some(c.impact) {
                writeln!(f, "  {}:", c.impact.heading())?;
                impact = Some(c.impact);
            }
            if c.origin.is_empty() {
                writeln!(f, "    - {}", c.message)?;
            } else {
                writeln!(f, "    - {} ({})", c.message, c.origin)?;
            }
        }
        Ok(())
    }
}
