//! Example values to call an operation with: for a parameter or a body, a JSON value valid for its
//! schema. The document's own values come first (`example`, `examples`, `x-example`, `default`,
//! `const`, the first `enum` value) where they are of the schema's type and within its bounds;
//! otherwise the simplest value the schema and its constraints and `format` allow (a date-time, an
//! e-mail address, a UUID, a string sampled from a simple `pattern`, a number within its range and
//! a multiple of `multipleOf`, an array of `minItems` or one item). Objects get their required
//! properties, or, in [`Fill::All`], every property the request may send (not `readOnly` ones).
//!
//! The values serve the operation's usage example in its docs and `cargo xtask wire-check`, which
//! builds every operation's request with them.

pub use crate::ir::Fill;
use crate::source::{SchemaRef, Sources};
use serde_json::{Map, Number, Value};

/// How deep optional properties are filled in [`Fill::All`]: a large document's objects nest
/// deeply, and every level multiplies the example's size.
const ALL_DEPTH: usize = 3;
/// How deep an example goes at all (references that lead back into themselves end sooner).
const MAX_DEPTH: usize = 24;

/// An example value for the schema at `at`.
pub fn example(sources: &Sources, at: &SchemaRef, fill: Fill) -> Value {
    let mut sampler = Sampler {
        sources,
        fill,
        skip: "readOnly",
        stack: Vec::new(),
    };
    sampler.value(at, None, 0)
}

/// An example answer for the schema at `at`: every property (but `writeOnly` ones), three levels
/// deep, as a server might send it.
pub fn answer_example(sources: &Sources, at: &SchemaRef) -> Value {
    let mut sampler = Sampler {
        sources,
        fill: Fill::All,
        skip: "writeOnly",
        stack: Vec::new(),
    };
    sampler.value(at, None, 0)
}

/// The document's own example of a parameter (`example`, the first of `examples`, Swagger 2.0's
/// `x-example`), if it is of the parameter schema's type.
pub fn parameter_example(sources: &Sources, param_at: &SchemaRef) -> Option<Value> {
    let param = sources.get(param_at)?;
    let schema_at = sources.follow_refs(&param_at.child("schema"), MAX_DEPTH);
    let schema = sources.get(&schema_at).and_then(Value::as_object);
    let given = param
        .get("example")
        .or_else(|| param.get("x-example"))
        .or_else(|| {
            param
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|all| all.values().next())
                .and_then(|first| first.get("value"))
        })?;
    let sampler = Sampler {
        sources,
        fill: Fill::All,
        skip: "readOnly",
        stack: Vec::new(),
    };
    match schema {
        Some(schema) => sampler
            .fits(&schema_at, schema, given, 0)
            .then(|| given.clone()),
        None => given.is_string().then(|| given.clone()),
    }
}

struct Sampler<'a> {
    sources: &'a Sources,
    fill: Fill,
    /// The properties the direction leaves out: `readOnly` in a request, `writeOnly` in an answer.
    skip: &'static str,
    /// The schemas being sampled, outermost first: one met again ends the recursion.
    stack: Vec<SchemaRef>,
}

impl<'a> Sampler<'a> {
    /// The schema at `at` after its `$ref`s, and where that is; `here` is what `at` holds when
    /// the caller has it in hand (then nothing is looked up from the document's root, unless it
    /// is a reference).
    fn find(&self, at: &SchemaRef, here: Option<&'a Value>) -> (SchemaRef, Option<&'a Value>) {
        match here {
            Some(value) if value.get("$ref").is_none() => (at.clone(), Some(value)),
            _ => {
                let at = self.sources.follow_refs(at, MAX_DEPTH);
                let value = self.sources.get(&at);
                (at, value)
            }
        }
    }

    fn value(&mut self, at: &SchemaRef, here: Option<&'a Value>, depth: usize) -> Value {
        let (at, found) = self.find(at, here);
        if depth > MAX_DEPTH || self.stack.contains(&at) {
            return Value::Null;
        }
        let Some(Value::Object(schema)) = found else {
            // `true` or a schema that is no object: anything goes.
            return Value::String("example".to_owned());
        };
        if let Some(given) = self.own_value(&at, schema) {
            return given;
        }
        self.stack.push(at.clone());
        let value = self.shape(&at, schema, depth);
        self.stack.pop();
        value
    }

    fn shape(&mut self, at: &SchemaRef, schema: &'a Map<String, Value>, depth: usize) -> Value {
        if let Some(Value::Array(all)) = schema.get("allOf") {
            let mut merged = Value::Null;
            for (i, part) in all.iter().enumerate() {
                let part_at = at.child("allOf").child(&i.to_string());
                merge(&mut merged, self.value(&part_at, Some(part), depth));
            }
            if has_shape(schema) {
                merge(&mut merged, self.typed(at, schema, depth));
            }
            return merged;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                let Some(i) = self.first_not_null(&at.child(key), branches.len()) else {
                    return Value::Null;
                };
                let branch_at = at.child(key).child(&i.to_string());
                let mut value = self.value(&branch_at, branches.get(i), depth);
                self.set_discriminator(schema, &branch_at, &mut value);
                // The union's own properties join an object branch's; a scalar branch (an enum
                // written as `oneOf` of `const`s) is the value.
                if has_shape(schema) && value.is_object() {
                    merge(&mut value, self.typed(at, schema, depth));
                }
                return value;
            }
        }
        self.typed(at, schema, depth)
    }

    /// The first branch of a union that is not `type: null` (or, failing that, the first).
    fn first_not_null(&self, list_at: &SchemaRef, len: usize) -> Option<usize> {
        (0..len)
            .find(|i| {
                let branch = self
                    .sources
                    .follow_refs(&list_at.child(&i.to_string()), MAX_DEPTH);
                let ty = self.sources.get(&branch).and_then(|b| b.get("type"));
                ty != Some(&Value::String("null".to_owned()))
            })
            .or((len > 0).then_some(0))
    }

    /// The discriminator's property set to the value that picks `branch_at`: its key in the
    /// `mapping`, else the name of the schema the branch refers to.
    fn set_discriminator(
        &self,
        schema: &Map<String, Value>,
        branch_at: &SchemaRef,
        value: &mut Value,
    ) {
        let Some(Value::Object(discriminator)) = schema.get("discriminator") else {
            return;
        };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return;
        };
        let Some(object) = value.as_object_mut() else {
            return;
        };
        let reference = self
            .sources
            .get(branch_at)
            .and_then(|b| b.get("$ref"))
            .and_then(Value::as_str);
        let Some(reference) = reference else {
            return;
        };
        let target = self.sources.resolve(branch_at, reference).ok();
        let mapped = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .and_then(|mapping| {
                mapping.iter().find_map(|(key, to)| {
                    let to = to.as_str()?;
                    let same = to == reference
                        || self.sources.resolve(branch_at, to).ok().as_ref() == target.as_ref()
                            && target.is_some();
                    same.then(|| key.clone())
                })
            });
        let name = mapped.or_else(|| reference.rsplit('/').next().map(str::to_owned));
        if let Some(name) = name {
            object.insert(property.to_owned(), Value::String(name));
        }
    }

    /// A value of the schema's own `type` (the first that is not `null`), or of the kind its
    /// keywords imply.
    fn typed(&mut self, at: &SchemaRef, schema: &'a Map<String, Value>, depth: usize) -> Value {
        let ty = match schema.get("type") {
            Some(Value::String(t)) => Some(t.as_str()),
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .or(Some("null")),
            _ => None,
        };
        let ty = ty.unwrap_or_else(|| {
            if schema.contains_key("properties") || schema.contains_key("additionalProperties") {
                "object"
            } else if schema.contains_key("items") {
                "array"
            } else if schema.contains_key("minimum") || schema.contains_key("maximum") {
                "number"
            } else {
                "string"
            }
        });
        match ty {
            "object" => self.object(at, schema, depth),
            "array" => {
                let count = schema
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .max(1);
                let count = match schema.get("maxItems").and_then(Value::as_u64) {
                    Some(max) => count.min(max),
                    None => count,
                };
                let item = match schema.get("items") {
                    items @ (Some(Value::Object(_)) | Some(Value::Bool(true))) => {
                        self.value(&at.child("items"), items, depth + 1)
                    }
                    _ => Value::String("example".to_owned()),
                };
                let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
                Value::Array(
                    (0..count)
                        .map(|i| if unique { vary(&item, i) } else { item.clone() })
                        .collect(),
                )
            }
            "integer" => Value::Number(integer(schema)),
            "number" => number(schema),
            "boolean" => Value::Bool(true),
            "null" => Value::Null,
            _ => Value::String(string(schema)),
        }
    }

    fn object(&mut self, at: &SchemaRef, schema: &'a Map<String, Value>, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let all = self.fill == Fill::All && depth < ALL_DEPTH;
        let mut object = Map::new();
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                let property_at = at.child("properties").child(name);
                let is_required = required.contains(&name.as_str());
                if !is_required && (!all || self.skipped(&property_at, Some(property))) {
                    continue;
                }
                let value = self.value(&property_at, Some(property), depth + 1);
                if value.is_null() && !is_required {
                    continue;
                }
                object.insert(name.clone(), value);
            }
        }
        // A required property the schema does not describe: anything goes.
        for name in required {
            if !object.contains_key(name) {
                object.insert(name.to_owned(), Value::String("example".to_owned()));
            }
        }
        // A nested object with nothing required still gets a member: an empty one has no form
        // encoding at all (Stripe's `business_profile`), and shows nothing in the docs.
        if object.is_empty() && depth > 0 {
            let first = schema
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|p| {
                    p.iter().find(|(name, property)| {
                        !self.skipped(&at.child("properties").child(name), Some(property))
                    })
                });
            if let Some((name, property)) = first {
                let value = self.value(
                    &at.child("properties").child(name),
                    Some(property),
                    depth + 1,
                );
                if !value.is_null() {
                    object.insert(name.clone(), value);
                }
            }
        }
        if all {
            if let more @ Some(Value::Object(_)) = schema.get("additionalProperties") {
                let value = self.value(&at.child("additionalProperties"), more, depth + 1);
                if !value.is_null() && !object.contains_key("key") {
                    object.insert("key".to_owned(), value);
                }
            }
        }
        Value::Object(object)
    }

    /// Whether the property is one this direction leaves out (`readOnly`: the server sets it;
    /// `writeOnly`: only requests carry it).
    fn skipped(&self, at: &SchemaRef, here: Option<&'a Value>) -> bool {
        let (_, found) = self.find(at, here);
        found.and_then(|s| s.get(self.skip)) == Some(&Value::Bool(true))
    }
}

/// Whether a schema says more than its `allOf`/`oneOf`/`anyOf` (its own type or properties).
fn has_shape(schema: &Map<String, Value>) -> bool {
    ["type", "properties", "items", "required"]
        .iter()
        .any(|k| schema.contains_key(*k))
}

/// Puts `more` into `into`: an object's members join the other's, anything else replaces it.
fn merge(into: &mut Value, more: Value) {
    match (into, more) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                a.entry(k).or_insert(v);
            }
        }
        (_, Value::Null) => {}
        (into, more) => *into = more,
    }
}

impl<'a> Sampler<'a> {
    /// The schema's own value (`example`, `examples`, `x-example`, `default`, `const`, the first
    /// `enum` value), if it fits the schema (a document's example may not: Chatwoot's filter
    /// example holds `null` where its schema allows only a string).
    fn own_value(&self, at: &SchemaRef, schema: &'a Map<String, Value>) -> Option<Value> {
        if let Some(value) = schema.get("const") {
            return Some(value.clone());
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            return values.iter().find(|v| !v.is_null()).cloned();
        }
        let candidates = [
            schema.get("example"),
            schema
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|e| e.first()),
            schema.get("x-example"),
            schema.get("default"),
        ];
        candidates
            .into_iter()
            .flatten()
            .find(|v| self.fits(at, schema, v, 0))
            .cloned()
    }

    /// Whether `value` is valid for the schema at `at`, as far as this module can tell: types,
    /// `enum` and `const`, bounds, lengths, patterns, the formats validators check, and, inside,
    /// array items, required properties, the properties' own schemas and unions' branches.
    fn fits_at(
        &self,
        at: &SchemaRef,
        here: Option<&'a Value>,
        value: &Value,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let (at, found) = self.find(at, here);
        let Some(Value::Object(schema)) = found else {
            return true;
        };
        self.fits(&at, schema, value, depth)
    }

    /// [`fits_at`](Self::fits_at) for the schema in hand, at `at` (its references followed).
    fn fits(
        &self,
        at: &SchemaRef,
        schema: &'a Map<String, Value>,
        value: &Value,
        depth: usize,
    ) -> bool {
        if !fits(schema, value) {
            return false;
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            if !values.contains(value) {
                return false;
            }
        }
        if schema.get("const").is_some_and(|c| c != value) {
            return false;
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            let list = at.child("allOf");
            let each = all.iter().enumerate().all(|(i, part)| {
                self.fits_at(&list.child(&i.to_string()), Some(part), value, depth + 1)
            });
            if !each {
                return false;
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                let list = at.child(key);
                let any = branches.iter().enumerate().any(|(i, branch)| {
                    self.fits_at(&list.child(&i.to_string()), Some(branch), value, depth + 1)
                });
                if !any {
                    return false;
                }
            }
        }
        match value {
            Value::Array(items) if schema.get("items").is_some_and(Value::is_object) => {
                let items_at = at.child("items");
                items
                    .iter()
                    .all(|item| self.fits_at(&items_at, schema.get("items"), item, depth + 1))
            }
            Value::Object(members) => {
                let required = schema.get("required").and_then(Value::as_array);
                let has_required = required
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .all(|name| members.contains_key(name));
                let properties = schema.get("properties").and_then(Value::as_object);
                has_required
                    && members.iter().all(|(name, member)| {
                        match properties.and_then(|p| p.get(name)) {
                            Some(property) => self.fits_at(
                                &at.child("properties").child(name),
                                Some(property),
                                member,
                                depth + 1,
                            ),
                            None => schema.get("additionalProperties") != Some(&Value::Bool(false)),
                        }
                    })
            }
            _ => true,
        }
    }
}

/// A variant of `item` for the `index`th place of an array whose items must differ: a number or
/// a string of digits counted up, another string with the index after it.
fn vary(item: &Value, index: u64) -> Value {
    if index == 0 {
        return item.clone();
    }
    match item {
        Value::Number(n) => match n.as_i64() {
            Some(n) => Value::Number((n + index as i64).into()),
            None => item.clone(),
        },
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            match s.parse::<u64>() {
                Ok(n) => Value::String((n + index).to_string()),
                Err(_) => item.clone(),
            }
        }
        Value::String(s) => Value::String(format!("{s}{index}")),
        _ => item.clone(),
    }
}

/// Whether `value` is of the schema's type and within its bounds, lengths, pattern and formats
/// this module can tell; objects and arrays only by their kind and size.
fn fits(schema: &Map<String, Value>, value: &Value) -> bool {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let kind_fits = |t: &str| match (t, value) {
        ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("object", Value::Object(_))
        | ("array", Value::Array(_)) => true,
        ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("null", Value::Null) => true,
        _ => false,
    };
    if value.is_null() {
        return nullable || types.contains(&"null");
    }
    if types.is_empty() {
        // Without a type, the value must at least be of the kind the keywords describe.
        if schema.contains_key("properties") {
            return value.is_object();
        }
        if schema.contains_key("items") {
            return value.is_array();
        }
        return !value.is_object() && !value.is_array()
            || schema.contains_key("allOf")
            || schema.contains_key("oneOf")
            || schema.contains_key("anyOf");
    }
    if !types.into_iter().any(kind_fits) {
        return false;
    }
    match value {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or_default();
            let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
            bound("minimum").is_none_or(|m| x >= m)
                && bound("maximum").is_none_or(|m| x <= m)
                && bound("exclusiveMinimum").is_none_or(|m| x > m)
                && bound("exclusiveMaximum").is_none_or(|m| x < m)
        }
        Value::String(s) => {
            let len = s.chars().count() as u64;
            let bound = |k: &str| schema.get(k).and_then(Value::as_u64);
            bound("minLength").is_none_or(|m| len >= m)
                && bound("maxLength").is_none_or(|m| len <= m)
                && pattern_matches(schema, s)
                && format_fits(schema, s)
        }
        Value::Array(items) => {
            let len = items.len() as u64;
            let bound = |k: &str| schema.get(k).and_then(Value::as_u64);
            bound("minItems").is_none_or(|m| len >= m) && bound("maxItems").is_none_or(|m| len <= m)
        }
        _ => true,
    }
}

fn pattern_matches(schema: &Map<String, Value>, text: &str) -> bool {
    match schema.get("pattern").and_then(Value::as_str) {
        Some(pattern) => regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(text)),
        None => true,
    }
}

/// The formats whose shape a value of the document is checked against (validators check these).
fn format_fits(schema: &Map<String, Value>, text: &str) -> bool {
    let shape = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => {
            r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
        }
        Some("date") => r"^\d{4}-\d{2}-\d{2}$",
        Some("email") => r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        Some("uuid") => {
            r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        }
        Some("uri" | "url") => r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$",
        Some("ipv4") => r"^\d{1,3}(\.\d{1,3}){3}$",
        _ => return true,
    };
    regex_lite::Regex::new(shape).is_ok_and(|re| re.is_match(text))
}

/// The integer closest to 1 within the schema's bounds, a multiple of its `multipleOf`.
fn integer(schema: &Map<String, Value>) -> Number {
    let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
    let mut low = bound("minimum").map(f64::ceil);
    if let Some(m) = bound("exclusiveMinimum") {
        low = Some(low.map_or(m.floor() + 1.0, |l| l.max(m.floor() + 1.0)));
    }
    let mut high = bound("maximum").map(f64::floor);
    if let Some(m) = bound("exclusiveMaximum") {
        high = Some(high.map_or(m.ceil() - 1.0, |h| h.min(m.ceil() - 1.0)));
    }
    let mut x = 1.0_f64;
    if let Some(low) = low {
        x = x.max(low);
    }
    if let Some(high) = high {
        x = x.min(high);
    }
    if let Some(step) = bound("multipleOf").filter(|s| *s >= 1.0 && s.fract() == 0.0) {
        x = (x / step).ceil() * step;
        if high.is_some_and(|h| x > h) {
            x -= step;
        }
    }
    // Within i64: a document's bound may be anything.
    Number::from(x.clamp(i64::MIN as f64, i64::MAX as f64) as i64)
}

/// An integer where the bounds allow one, else the middle of an open range.
fn number(schema: &Map<String, Value>) -> Value {
    let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
    let low = bound("minimum").or(bound("exclusiveMinimum"));
    let high = bound("maximum").or(bound("exclusiveMaximum"));
    let whole = integer(schema).as_f64().unwrap_or(1.0);
    let within = low.is_none_or(|l| whole > l || (whole == l && bound("minimum").is_some()))
        && high.is_none_or(|h| whole < h || (whole == h && bound("maximum").is_some()));
    if within && schema.get("multipleOf").is_none() {
        return Value::Number(Number::from(whole as i64));
    }
    let x = match (low, high) {
        (Some(l), Some(h)) => (l + h) / 2.0,
        (Some(l), None) => l + 1.0,
        (None, Some(h)) => h - 1.0,
        (None, None) => 1.0,
    };
    let x = match bound("multipleOf").filter(|s| *s > 0.0) {
        Some(step) => (x / step).round() * step,
        None => x,
    };
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A string of the schema's format, else sampled from its pattern, else `example`; padded or cut
/// to its lengths.
fn string(schema: &Map<String, Value>) -> String {
    let by_format = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => Some("2024-05-01T12:00:00Z"),
        Some("date") => Some("2024-05-01"),
        Some("time") => Some("12:00:00Z"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url") => Some("https://example.com/"),
        Some("uri-reference" | "uri-template") => Some("/example"),
        Some("uuid") => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Some("byte") => Some("ZXhhbXBsZQ=="),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("hostname") => Some("example.com"),
        Some("duration") => Some("P1D"),
        _ => None,
    };
    let mut text = match (by_format, schema.get("pattern").and_then(Value::as_str)) {
        (Some(text), _) => text.to_owned(),
        (None, Some(pattern)) => sample_pattern(pattern).unwrap_or_else(|| "example".to_owned()),
        (None, None) => "example".to_owned(),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    if by_format.is_none() && schema.get("pattern").is_none() {
        while text.chars().count() < min {
            text.push('x');
        }
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
    }
    text
}

/// A short string the pattern matches, for the patterns real documents write (literals, classes,
/// `\d`-style escapes, groups with alternatives, quantifiers); `None` when the sample does not
/// match or the pattern is beyond this sampler.
pub fn sample_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let text = sample_sequence(&chars, &mut i, 0)?;
    let re = regex_lite::Regex::new(pattern).ok()?;
    re.is_match(&text).then_some(text)
}

/// Samples up to the end, a `|` or a `)` at this level (the first alternative is taken; the rest
/// is skipped by the caller).
fn sample_sequence(chars: &[char], i: &mut usize, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let mut out = String::new();
    while *i < chars.len() {
        let c = chars[*i];
        let atom: String = match c {
            '|' | ')' => break,
            '^' | '$' => {
                *i += 1;
                continue;
            }
            '(' => {
                *i += 1;
                if chars.get(*i) == Some(&'?') {
                    // `(?:…)`; lookarounds and flags are beyond this sampler.
                    if chars.get(*i + 1) != Some(&':') {
                        return None;
                    }
                    *i += 2;
                }
                let first = sample_sequence(chars, i, depth + 1)?;
                skip_to_group_end(chars, i)?;
                first
            }
            '[' => {
                *i += 1;
                class_member(chars, i)?.to_string()
            }
            '\\' => {
                *i += 1;
                let e = *chars.get(*i)?;
                *i += 1;
                match e {
                    'd' => "1".to_owned(),
                    'w' => "a".to_owned(),
                    's' => " ".to_owned(),
                    'D' | 'W' | 'S' => "-".to_owned(),
                    'b' | 'B' | 'A' | 'z' | 'Z' => String::new(),
                    e if e.is_ascii_alphanumeric() => return None,
                    e => e.to_string(),
                }
            }
            '.' => {
                *i += 1;
                "a".to_owned()
            }
            c => {
                *i += 1;
                c.to_string()
            }
        };
        // The atom's `(` or `[` or escape is consumed; for the plain cases above too.
        let times = quantifier(chars, i)?;
        for _ in 0..times {
            out.push_str(&atom);
        }
    }
    Some(out)
}

/// After a group's first alternative: skips the others up to and past the group's `)`.
fn skip_to_group_end(chars: &[char], i: &mut usize) -> Option<()> {
    let mut depth = 0usize;
    while *i < chars.len() {
        match chars[*i] {
            '\\' => *i += 1,
            '[' => {
                *i += 1;
                class_member(chars, i)?;
                continue;
            }
            '(' => depth += 1,
            ')' if depth == 0 => {
                *i += 1;
                return Some(());
            }
            ')' => depth -= 1,
            _ => {}
        }
        *i += 1;
    }
    None
}

/// A member of a character class (its first range's start, or for a negated class a letter it
/// leaves out); consumes the class up to and past its `]`.
fn class_member(chars: &[char], i: &mut usize) -> Option<char> {
    let negated = chars.get(*i) == Some(&'^');
    if negated {
        *i += 1;
    }
    let mut members = Vec::new();
    let mut first = true;
    while *i < chars.len() {
        let c = chars[*i];
        if c == ']' && !first {
            *i += 1;
            break;
        }
        first = false;
        let c = if c == '\\' {
            *i += 1;
            match *chars.get(*i)? {
                'd' => '1',
                'w' => 'a',
                's' => ' ',
                e if e.is_ascii_alphanumeric() => return None,
                e => e,
            }
        } else {
            c
        };
        members.push(c);
        *i += 1;
    }
    if negated {
        return ['a', 'x', '1', 'Z', '_']
            .into_iter()
            .find(|c| !members.contains(c));
    }
    members.first().copied()
}

/// How many times the atom just read is repeated: its quantifier's least count (at least once
/// for `+`), or once.
fn quantifier(chars: &[char], i: &mut usize) -> Option<usize> {
    let times = match chars.get(*i) {
        Some('?') | Some('*') => {
            *i += 1;
            // Once rather than never: `a?` is sampled as `a`, which also matches.
            1
        }
        Some('+') => {
            *i += 1;
            1
        }
        Some('{') => {
            let close = chars[*i..].iter().position(|c| *c == '}')? + *i;
            let inner: String = chars[*i + 1..close].iter().collect();
            *i = close + 1;
            let least = inner.split(',').next()?.trim();
            least.parse::<usize>().ok()?.min(64)
        }
        _ => 1,
    };
    // A lazy or possessive marker after the quantifier.
    if matches!(chars.get(*i), Some('?') | Some('+')) {
        *i += 1;
    }
    Some(times)
}
