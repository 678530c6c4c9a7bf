//! Putting values on the wire: the checks `build` runs on each parameter (ranges, lengths,
//! patterns, path segments, header values), the styles parameters and form fields are laid out in,
//! percent-encoding, and the JSON, form and multipart bodies. Generated code reaches all of it as
//! `request::…`.
//!
//! This file is written by the generator, like every other file of the crate.

use crate::request::{Body, RequestError};

#[doc(hidden)]
/// Percent-encodes everything but the unreserved characters of RFC 3986 (so a path parameter stays
/// one segment and a query value one value).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[doc(hidden)]
/// Checks a path parameter: `""`, `.` and `..` are refused, since no encoding keeps them from
/// changing the path; anything else is encoded into one segment.
pub fn check_segment(parameter: &str, value: &str) -> Result<(), RequestError> {
    if matches!(value, "" | "." | "..") {
        return Err(RequestError::new(
            parameter,
            value,
            "a non-empty path segment other than `.` and `..`",
        ));
    }
    Ok(())
}

pub(crate) fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn checked_header(name: &str, value: &str) -> Result<http::HeaderValue, RequestError> {
    http::HeaderValue::from_str(value).map_err(|_| {
        RequestError::new(
            name,
            value,
            "visible ASCII text without CR, LF or other control characters",
        )
    })
}

#[doc(hidden)]
/// Checks a header parameter's value.
pub fn check_header(parameter: &str, value: &str) -> Result<(), RequestError> {
    checked_header(parameter, value).map(drop)
}

#[doc(hidden)]
/// Checks that a path parameter's value, laid out in the simple style, makes one path segment.
pub fn check_path_value<T: serde::Serialize + ?Sized>(
    parameter: &str,
    value: &T,
    explode: bool,
) -> Result<(), RequestError> {
    check_segment(parameter, &simple_text(parameter, value, explode)?)
}

#[doc(hidden)]
/// Checks that a header parameter's value, laid out in the simple style, can be sent.
pub fn check_header_value<T: serde::Serialize + ?Sized>(
    parameter: &str,
    value: &T,
    explode: bool,
) -> Result<(), RequestError> {
    check_header(parameter, &simple_text(parameter, value, explode)?)
}

#[doc(hidden)]
/// Appends a path parameter's value to `path`: laid out in the simple style, percent-encoded.
pub fn push_path_value<T: serde::Serialize + ?Sized>(
    path: &mut String,
    parameter: &str,
    value: &T,
    explode: bool,
) -> Result<(), RequestError> {
    path.push_str(&encode(&simple_text(parameter, value, explode)?));
    Ok(())
}

#[doc(hidden)]
/// Checks an integer against inclusive bounds; `expected` says them in words.
pub fn check_integer(
    parameter: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
    expected: &str,
) -> Result<(), RequestError> {
    let ok = min.is_none_or(|m| value >= m) && max.is_none_or(|m| value <= m);
    if ok {
        Ok(())
    } else {
        Err(RequestError::new(parameter, &value.to_string(), expected))
    }
}

#[doc(hidden)]
/// Checks a number against its bounds (`exclusive` ones must not be reached).
pub fn check_number(
    parameter: &str,
    value: f64,
    bounds: [Option<f64>; 4],
    expected: &str,
) -> Result<(), RequestError> {
    let [min, max, exclusive_min, exclusive_max] = bounds;
    let ok = value.is_finite()
        && min.is_none_or(|m| value >= m)
        && max.is_none_or(|m| value <= m)
        && exclusive_min.is_none_or(|m| value > m)
        && exclusive_max.is_none_or(|m| value < m);
    if ok {
        Ok(())
    } else {
        Err(RequestError::new(parameter, &value.to_string(), expected))
    }
}

#[doc(hidden)]
/// Checks a string's length in characters.
pub fn check_length(
    parameter: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    expected: &str,
) -> Result<(), RequestError> {
    let len = value.chars().count();
    if min.is_none_or(|m| len >= m) && max.is_none_or(|m| len <= m) {
        Ok(())
    } else {
        Err(RequestError::new(parameter, value, expected))
    }
}

#[doc(hidden)]
/// Checks a string against a regular expression (unanchored, as JSON Schema's `pattern`).
pub fn check_pattern(parameter: &str, value: &str, pattern: &str) -> Result<(), RequestError> {
    let expected = || format!("text matching `{pattern}`");
    // A pattern this regex engine cannot compile is not checked (as in validating mode); the
    // generator warns about it.
    match regex_lite::Regex::new(pattern) {
        Ok(re) if !re.is_match(value) => Err(RequestError::new(parameter, value, &expected())),
        _ => Ok(()),
    }
}

/// How a parameter or form field that is no scalar is laid out (OpenAPI's `style`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=a,b`; exploded `name=a&name=b`, and an object's members as pairs of their own.
    Form,
    /// `a,b`; an object as `k,v,k2,v2` (exploded `k=v,k2=v2`).
    Simple,
    /// `name[key]=value` at any depth; arrays of scalars as `name[]=…`, of anything else as
    /// `name[0][key]=…`.
    DeepObject,
    /// `a b`.
    SpaceDelimited,
    /// `a|b`.
    PipeDelimited,
}

/// One part of a `multipart/form-data` body: text, or a file with its name and content type.
///
/// Text converts from `&str` and `String`; a file is made with [`Part::file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A text field.
    Text(String),
    /// A file.
    File {
        /// The content.
        bytes: Vec<u8>,
        /// The file name sent with it.
        file_name: String,
        /// Its media type (`image/png`).
        content_type: String,
    },
}

impl Part {
    /// A file part.
    pub fn file(
        bytes: impl Into<Vec<u8>>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
    ) -> Part {
        Part::File {
            bytes: bytes.into(),
            file_name: file_name.into(),
            content_type: content_type.into(),
        }
    }
}

impl From<&str> for Part {
    fn from(text: &str) -> Part {
        Part::Text(text.to_owned())
    }
}

impl From<String> for Part {
    fn from(text: String) -> Part {
        Part::Text(text)
    }
}

impl serde::Serialize for Part {
    /// Text as a string; a file as its file name (a file's bytes go only into a multipart body).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Part::Text(text) => serializer.serialize_str(text),
            Part::File { file_name, .. } => serializer.serialize_str(file_name),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Part {
    /// A string, as text.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Part::Text)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Part {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Part".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

#[doc(hidden)]
/// A parameter's value as JSON, the common form every style is laid out from.
pub fn to_json<T: serde::Serialize + ?Sized>(
    parameter: &str,
    value: &T,
) -> Result<serde_json::Value, RequestError> {
    serde_json::to_value(value).map_err(|e| RequestError::new(parameter, "", &e.to_string()))
}

/// The text of a scalar (`null` is empty); `None` for arrays and objects.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => Some(String::new()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => None,
    }
}

/// A scalar's text, or an array's or object's JSON text.
fn any_text(value: &serde_json::Value) -> String {
    scalar_text(value).unwrap_or_else(|| value.to_string())
}

#[doc(hidden)]
/// A path or header value in the simple style: a scalar's text, an array's items joined by
/// commas, an object's members as `k,v,k2,v2` (exploded: `k=v,k2=v2`).
pub fn simple_text<T: serde::Serialize + ?Sized>(
    parameter: &str,
    value: &T,
    explode: bool,
) -> Result<String, RequestError> {
    Ok(match to_json(parameter, value)? {
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(any_text).collect();
            items.join(",")
        }
        serde_json::Value::Object(members) => {
            let parts: Vec<String> = members
                .iter()
                .map(|(k, v)| {
                    let separator = if explode { "=" } else { "," };
                    format!("{k}{separator}{}", any_text(v))
                })
                .collect();
            parts.join(",")
        }
        scalar => any_text(&scalar),
    })
}

#[doc(hidden)]
/// Lays out a query parameter (or form field) `name` as name/value pairs, as its style says.
pub fn pairs<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
    out: &mut Vec<(String, String)>,
) -> Result<(), RequestError> {
    let value = to_json(name, value)?;
    lay_out(name, &value, style, explode, out);
    Ok(())
}

fn lay_out(
    name: &str,
    value: &serde_json::Value,
    style: Style,
    explode: bool,
    out: &mut Vec<(String, String)>,
) {
    use serde_json::Value;
    let delimiter = match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match (value, style) {
        (_, Style::DeepObject) => brackets(name.to_owned(), value, out),
        (Value::Array(items), Style::Form) if explode => {
            for item in items {
                match scalar_text(item) {
                    Some(text) => out.push((name.to_owned(), text)),
                    None => brackets(name.to_owned(), item, out),
                }
            }
        }
        (Value::Object(members), Style::Form) if explode => {
            for (key, member) in members {
                match scalar_text(member) {
                    Some(text) => out.push((key.clone(), text)),
                    None => brackets(key.clone(), member, out),
                }
            }
        }
        (Value::Array(items), _) => {
            let items: Vec<String> = items.iter().map(any_text).collect();
            out.push((name.to_owned(), items.join(delimiter)));
        }
        (Value::Object(members), _) => {
            let items: Vec<String> = members
                .iter()
                .flat_map(|(k, v)| [k.clone(), any_text(v)])
                .collect();
            out.push((name.to_owned(), items.join(delimiter)));
        }
        (scalar, _) => out.push((name.to_owned(), any_text(scalar))),
    }
}

/// The bracket form Stripe, Rails and PHP read: `a[b][c]=v`, `a[]=v` for arrays of scalars,
/// `a[0][b]=v` for arrays of anything else; an empty array is sent as `a=` (which such APIs read as
/// "clear"); `null` as an empty value.
fn brackets(prefix: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                brackets(format!("{prefix}[{key}]"), member, out);
            }
        }
        Value::Array(items) if items.is_empty() => out.push((prefix, String::new())),
        Value::Array(items) if items.iter().all(|i| scalar_text(i).is_some()) => {
            for item in items {
                out.push((format!("{prefix}[]"), any_text(item)));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                brackets(format!("{prefix}[{i}]"), item, out);
            }
        }
        scalar => out.push((prefix, any_text(scalar))),
    }
}

#[doc(hidden)]
/// A JSON body.
pub fn json_body<T: serde::Serialize + ?Sized>(
    value: &T,
    content_type: &str,
) -> Result<Body, RequestError> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| RequestError::new("body", "", &format!("a body that encodes ({e})")))?;
    Ok(Body {
        content_type: content_type.to_owned(),
        bytes,
    })
}

/// A body's members with the style each is laid out in (OpenAPI's default for forms: exploded
/// `form`).
fn members<T: serde::Serialize + ?Sized>(
    value: &T,
    encoding: &[(&str, Style, bool)],
) -> Result<Vec<(String, serde_json::Value, Style, bool)>, RequestError> {
    match to_json("body", value)? {
        serde_json::Value::Object(members) => Ok(members
            .into_iter()
            .map(|(name, value)| {
                let (style, explode) = encoding
                    .iter()
                    .find(|(n, _, _)| *n == name)
                    .map_or((Style::Form, true), |(_, s, e)| (*s, *e));
                (name, value, style, explode)
            })
            .collect()),
        other => Err(RequestError::new(
            "body",
            &other.to_string(),
            "an object (a form body is a list of named fields)",
        )),
    }
}

#[doc(hidden)]
/// An `application/x-www-form-urlencoded` body: every field laid out in its style, then
/// percent-encoded by the form rules.
pub fn form_body<T: serde::Serialize + ?Sized>(
    value: &T,
    encoding: &[(&str, Style, bool)],
) -> Result<Body, RequestError> {
    let mut pairs = Vec::new();
    for (name, value, style, explode) in members(value, encoding)? {
        lay_out(&name, &value, style, explode, &mut pairs);
    }
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(&pairs);
    Ok(Body {
        content_type: "application/x-www-form-urlencoded".to_owned(),
        bytes: form.finish().into_bytes(),
    })
}

#[doc(hidden)]
/// A `multipart/form-data` body: the fields in `parts` as they are (files or text), the others
/// laid out in their style as text parts, objects without a style as JSON parts.
pub fn multipart_body<T: serde::Serialize + ?Sized>(
    value: &T,
    encoding: &[(&str, Style, bool)],
    parts: &[(&str, Option<&Part>)],
) -> Result<Body, RequestError> {
    let mut fields: Vec<(String, Part, Option<&str>)> = Vec::new();
    for (name, value, style, explode) in members(value, encoding)? {
        if let Some((_, part)) = parts.iter().find(|(n, _)| *n == name) {
            if let Some(part) = part {
                fields.push((name, (*part).clone(), None));
            }
            continue;
        }
        let styled = encoding.iter().any(|(n, _, _)| *n == name);
        if value.is_object() && !styled {
            fields.push((
                name,
                Part::Text(value.to_string()),
                Some("application/json"),
            ));
            continue;
        }
        let mut pairs = Vec::new();
        lay_out(&name, &value, style, explode, &mut pairs);
        fields.extend(pairs.into_iter().map(|(n, v)| (n, Part::Text(v), None)));
    }
    let boundary = boundary(&fields);
    let mut bytes = Vec::new();
    for (name, part, content_type) in &fields {
        bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(name));
        bytes.extend_from_slice(disposition.as_bytes());
        let (content, content_type) = match part {
            Part::Text(text) => (text.as_bytes(), content_type.map(str::to_owned)),
            Part::File {
                bytes: content,
                file_name,
                content_type,
            } => {
                let file = format!("; filename=\"{}\"", quoted(file_name));
                bytes.extend_from_slice(file.as_bytes());
                (content.as_slice(), Some(content_type.clone()))
            }
        };
        bytes.extend_from_slice(b"\r\n");
        if let Some(content_type) = content_type {
            let line = format!(
                "Content-Type: {}\r\n",
                content_type.replace(['\r', '\n'], "")
            );
            bytes.extend_from_slice(line.as_bytes());
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(content);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok(Body {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        bytes,
    })
}

/// A name or file name inside a quoted header parameter, escaped as HTML's form submission does.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A multipart boundary that occurs in no part: the same parts always get the same boundary.
fn boundary(fields: &[(String, Part, Option<&str>)]) -> String {
    let contains = |needle: &[u8]| {
        fields.iter().any(|(name, part, _)| {
            let content: &[u8] = match part {
                Part::Text(text) => text.as_bytes(),
                Part::File { bytes, .. } => bytes,
            };
            [name.as_bytes(), content]
                .iter()
                .any(|hay| hay.windows(needle.len()).any(|w| w == needle))
        })
    };
    let mut n: u64 = 0x9e37_79b9_7f4a_7c15;
    loop {
        let candidate = format!("----api-models-{n:016x}");
        if !contains(candidate.as_bytes()) {
            return candidate;
        }
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    }
}

#[doc(hidden)]
/// A body sent as it is.
pub fn raw_body(bytes: &[u8], content_type: &str) -> Body {
    Body {
        content_type: content_type.to_owned(),
        bytes: bytes.to_vec(),
    }
}
