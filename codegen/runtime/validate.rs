//! Checks of the validating mode: assertion keywords of JSON Schema (`type`, `enum`, `const`, bounds,
//! lengths, `pattern`, counts, `required`, …) checked on a value, and the `allOf` / `not` checks that
//! a value must (or must not) also read as another type.
//!
//! This file is written by the generator, like every other file of the crate.

use serde::de::{self, DeserializeOwned};
use serde::Serialize;
use serde_json::{Map, Value};

/// When a check that a value also reads as another type applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// Only when the value is a JSON object.
    IfObject,
    /// Only when the value is a JSON array.
    IfArray,
    /// The item at this index, when the value is an array that long.
    Item(usize),
    /// Every item from this index on, when the value is an array.
    ItemsFrom(usize),
}

#[doc(hidden)]
/// The JSON form of a value just read.
pub fn to_json<T: Serialize, E: de::Error>(value: &T) -> Result<Value, E> {
    serde_json::to_value(value).map_err(E::custom)
}

#[doc(hidden)]
/// Parses the assertion text a generated type carries.
pub fn schema(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Bool(true))
}

#[doc(hidden)]
/// Checks the assertion keywords of `schema` on `value`.
pub fn check<E: de::Error>(value: &Value, schema: &Value) -> Result<(), E> {
    match failure(value, schema) {
        Some(message) => Err(E::custom(message)),
        None => Ok(()),
    }
}

#[doc(hidden)]
/// Checks that `value` also reads as `T` (when `when` applies).
pub fn also<T: DeserializeOwned, E: de::Error>(value: &Value, when: When) -> Result<(), E> {
    let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
    let checked: &[Value] = match when {
        When::Always => std::slice::from_ref(value),
        When::IfObject if value.is_object() => std::slice::from_ref(value),
        When::IfArray if value.is_array() => std::slice::from_ref(value),
        When::IfObject | When::IfArray => &[],
        When::Item(i) => items.get(i..=i).unwrap_or_default(),
        When::ItemsFrom(n) => items.get(n..).unwrap_or_default(),
    };
    checked
        .iter()
        .try_for_each(|v| T::deserialize(v).map(drop).map_err(E::custom))
}

fn matches(pattern: &str, name: &str) -> bool {
    regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(name))
}

#[doc(hidden)]
/// Checks that every member whose name matches `pattern` reads as `T` (`patternProperties`).
pub fn members_matching<T: DeserializeOwned, E: de::Error>(
    value: &Value,
    pattern: &str,
) -> Result<(), E> {
    let Some(map) = value.as_object() else {
        return Ok(());
    };
    map.iter()
        .filter(|(name, _)| matches(pattern, name))
        .try_for_each(|(name, v)| {
            T::deserialize(v)
                .map(drop)
                .map_err(|e| E::custom(format_args!("member `{name}`: {e}")))
        })
}

#[doc(hidden)]
/// Checks that every member neither listed in `known` nor matched by `patterns` reads as `T`
/// (`additionalProperties`).
pub fn additional_members<T: DeserializeOwned, E: de::Error>(
    value: &Value,
    known: &[&str],
    patterns: &[&str],
) -> Result<(), E> {
    let Some(map) = value.as_object() else {
        return Ok(());
    };
    map.iter()
        .filter(|(name, _)| {
            !known.contains(&name.as_str()) && !patterns.iter().any(|p| matches(p, name))
        })
        .try_for_each(|(name, v)| {
            T::deserialize(v)
                .map(drop)
                .map_err(|e| E::custom(format_args!("member `{name}`: {e}")))
        })
}

#[doc(hidden)]
/// Checks that `value` does not read as `T` (`not`).
pub fn not<T: DeserializeOwned, E: de::Error>(value: &Value) -> Result<(), E> {
    match T::deserialize(value) {
        Ok(_) => Err(E::custom("the value matches a schema under `not`")),
        Err(_) => Ok(()),
    }
}

fn failure(value: &Value, schema: &Value) -> Option<String> {
    let schema = match schema {
        Value::Bool(true) => return None,
        Value::Object(map) => map,
        _ => return Some("no value is allowed here".into()),
    };
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !allowed.iter().any(|t| has_type(value, t)) {
            return Some(format!("expected a value of type {}", allowed.join(" or ")));
        }
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        if !values.iter().any(|v| same(v, value)) {
            return Some(format!("{value} is not one of the allowed values"));
        }
    }
    if let Some(expected) = schema.get("const") {
        if !same(expected, value) {
            return Some(format!("expected {expected}, found {value}"));
        }
    }
    match value {
        Value::Number(n) => number_failure(n.as_f64().unwrap_or(f64::NAN), schema),
        Value::String(s) => string_failure(s, schema),
        Value::Array(items) => array_failure(items, schema),
        Value::Object(map) => object_failure(map, schema),
        _ => None,
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value
            .as_f64()
            .is_some_and(|f| f.fract() == 0.0 || value.is_i64() || value.is_u64()),
        _ => false,
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn bound(schema: &Map<String, Value>, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

fn number_failure(n: f64, schema: &Map<String, Value>) -> Option<String> {
    // Draft 4 / OpenAPI 3.0: `exclusiveMinimum: true` makes `minimum` exclusive.
    for (flag, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if schema.get(flag) == Some(&Value::Bool(true)) {
            if let Some(b) = bound(schema, inclusive) {
                let fails = if flag == "exclusiveMinimum" {
                    n <= b
                } else {
                    n >= b
                };
                if fails {
                    return Some(format!(
                        "{n} does not meet the exclusive `{inclusive}: {b}`"
                    ));
                }
            }
        }
    }
    let checks: [(&str, fn(f64, f64) -> bool); 4] = [
        ("minimum", |n, b| n >= b),
        ("maximum", |n, b| n <= b),
        ("exclusiveMinimum", |n, b| n > b),
        ("exclusiveMaximum", |n, b| n < b),
    ];
    for (key, ok) in checks {
        if let Some(b) = bound(schema, key) {
            if !ok(n, b) {
                return Some(format!("{n} does not meet `{key}: {b}`"));
            }
        }
    }
    if let Some(m) = bound(schema, "multipleOf").filter(|m| *m > 0.0) {
        let q = n / m;
        if q.is_finite() && (q - q.round()).abs() > 1e-9 * q.abs().max(1.0) {
            return Some(format!("{n} is not a multiple of {m}"));
        }
    }
    None
}

fn string_failure(s: &str, schema: &Map<String, Value>) -> Option<String> {
    let len = s.chars().count() as f64;
    if bound(schema, "minLength").is_some_and(|m| len < m)
        || bound(schema, "maxLength").is_some_and(|m| len > m)
    {
        return Some(format!("{s:?} has a length the schema does not allow"));
    }
    if let Some(Value::String(pattern)) = schema.get("pattern") {
        if let Ok(re) = regex_lite::Regex::new(pattern) {
            if !re.is_match(s) {
                return Some(format!("{s:?} does not match `{pattern}`"));
            }
        }
    }
    None
}

fn array_failure(items: &[Value], schema: &Map<String, Value>) -> Option<String> {
    let len = items.len() as f64;
    if bound(schema, "minItems").is_some_and(|m| len < m)
        || bound(schema, "maxItems").is_some_and(|m| len > m)
    {
        return Some(format!("{len} items is a number the schema does not allow"));
    }
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        for (i, a) in items.iter().enumerate() {
            if items[i + 1..].iter().any(|b| same(a, b)) {
                return Some("the items are not unique".into());
            }
        }
    }
    None
}

fn object_failure(map: &Map<String, Value>, schema: &Map<String, Value>) -> Option<String> {
    let len = map.len() as f64;
    if bound(schema, "minProperties").is_some_and(|m| len < m)
        || bound(schema, "maxProperties").is_some_and(|m| len > m)
    {
        return Some(format!(
            "{len} properties is a number the schema does not allow"
        ));
    }
    if let Some(Value::Array(required)) = schema.get("required") {
        if let Some(missing) = required
            .iter()
            .filter_map(Value::as_str)
            .find(|r| !map.contains_key(*r))
        {
            return Some(format!("missing property `{missing}`"));
        }
    }
    if let Some(Value::Object(dependent)) = schema.get("dependentRequired") {
        for (name, needs) in dependent {
            if map.contains_key(name) {
                let needs = needs
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str);
                if let Some(missing) = needs.into_iter().find(|n| !map.contains_key(*n)) {
                    return Some(format!("`{name}` needs `{missing}`"));
                }
            }
        }
    }
    None
}
