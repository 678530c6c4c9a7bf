//! Reads a scraped API reference page into a [`Page`]: the operation's method and path, its
//! parameters (name, place, type, required flag, listed options, range) and its example answer
//! bodies, each part with the page line it was read from.
//!
//! Three layouts are read, one per vendor site the seeds come from:
//! - **Sakari**: the method on the first line, the path one segment per line up to `cURL`, an example
//!   body, then `Path Parameters` / `Query Parameters` blocks (name, type such as `enum<string>` or
//!   `string<date-time>`, `required`, description, `Available options:`, `Required range:`) and a
//!   `Response` block with the status and media type.
//! - **Chatwoot**: `name*type` parameter lines (`*`: required) under the same section titles, then
//!   `curl -X METHOD "URL"` immediately followed by the example bodies, the success body first.
//! - **TextUs**: a `METHOD /path/:param` line, an example request, then `Status`, the status, and
//!   `Example Body`.

use crate::source::positions::{self, Positions};
use serde_json::Value;

/// What a page says about one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub layout: Layout,
    /// Upper case (`GET`).
    pub method: String,
    /// With `{name}` placeholders, as an OpenAPI path key.
    pub path: String,
    pub path_line: usize,
    /// The page's title or summary line, if it has one.
    pub summary: Option<String>,
    pub params: Vec<Param>,
    /// Example answers, the success answer first.
    pub bodies: Vec<Body>,
    /// The success status and its media type, where the page gives them.
    pub status: Option<(u16, usize)>,
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Sakari,
    Chatwoot,
    TextUs,
}

/// Where a parameter goes, as OpenAPI's `in` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Path,
    Query,
    Header,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Path => "path",
            Place::Query => "query",
            Place::Header => "header",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub place: Place,
    /// The JSON type (`string`, `integer`, …).
    pub ty: String,
    /// `date-time` of `string<date-time>`.
    pub format: Option<String>,
    pub required: bool,
    pub description: Option<String>,
    /// `Available options:`, in the page's order.
    pub options: Vec<String>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub line: usize,
    /// Line of the options list or of the range, for findings about them.
    pub options_line: usize,
    pub range_line: usize,
}

/// One end of a `Required range:`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub value: Value,
    /// The page line of the body's first character.
    pub line: usize,
    /// JSON pointer → page line of the value there.
    pub lines: Positions,
}

impl Body {
    /// The page line of the value at `pointer` (or of the nearest enclosing value).
    pub fn line_of(&self, pointer: &str) -> usize {
        let mut pointer = pointer;
        loop {
            if let Some((line, _)) = self.lines.get(pointer) {
                return *line;
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => return self.line,
            }
        }
    }
}

/// A page that cannot be read, with the line where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub message: String,
}

/// A JSON type (`string`) and its format, if the page gives one (`date-time`).
type TypeAndFormat = (String, Option<String>);

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub fn read(text: &str) -> Result<Page, PageError> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    if lines
        .get(first)
        .is_some_and(|l| METHODS.contains(&l.trim()))
    {
        return sakari(text, &lines, first);
    }
    if let Some(at) = lines
        .iter()
        .take(5)
        .position(|l| method_and_path(l).is_some())
    {
        return textus(text, &lines, at);
    }
    if lines.iter().any(|l| l.trim_start().starts_with("curl -X")) {
        return chatwoot(text, &lines);
    }
    Err(PageError {
        line: 1,
        message: "not a page layout this reads: expected the Sakari layout (a method alone on the first line), \
                  the TextUs one (`GET /path` near the top) or the Chatwoot one (`curl -X` before the bodies)"
            .into(),
    })
}

/// `GET /conversations/:conversation` → (`GET`, `/conversations/{conversation}`).
fn method_and_path(line: &str) -> Option<(&str, String)> {
    let (method, path) = line.trim().split_once(' ')?;
    if !METHODS.contains(&method) || !path.starts_with('/') || path.contains(' ') {
        return None;
    }
    let path = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    Some((method, path))
}

/// Byte offset of the start of each line.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_at(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset)
}

/// The JSON values written one after the other from byte `from`, with their page lines.
fn bodies_from(text: &str, from: usize) -> Result<(Vec<Body>, usize), PageError> {
    let starts = line_starts(text);
    let mut bodies = Vec::new();
    let mut at = from;
    loop {
        let rest = &text[at..];
        let skipped = rest.len() - rest.trim_start().len();
        if !rest[skipped..].starts_with(['{', '[']) {
            return Ok((bodies, at));
        }
        let start = at + skipped;
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        let value = match stream.next() {
            Some(Ok(value)) => value,
            Some(Err(e)) => {
                return Err(PageError {
                    line: line_at(&starts, start) + e.line() - 1,
                    message: format!("the example body does not read as JSON: {e}"),
                })
            }
            None => return Ok((bodies, at)),
        };
        let end = start + stream.byte_offset();
        let first_line = line_at(&starts, start);
        let mut lines = positions::index(&text[start..end]);
        for (line, _) in lines.values_mut() {
            *line += first_line - 1;
        }
        bodies.push(Body {
            value,
            line: first_line,
            lines,
        });
        at = end;
    }
}

/// `enum<string>` → (`string`, None, enum); `string<date-time>` → (`string`, `date-time`).
fn page_type(text: &str) -> Option<TypeAndFormat> {
    const TYPES: [&str; 7] = [
        "string", "integer", "number", "boolean", "object", "array", "file",
    ];
    let text = text.trim();
    if let Some(inner) = text.strip_prefix("enum<").and_then(|t| t.strip_suffix('>')) {
        return TYPES.contains(&inner).then(|| (inner.to_owned(), None));
    }
    match text.split_once('<') {
        Some((ty, format)) if TYPES.contains(&ty) => {
            let format = format.strip_suffix('>')?;
            Some((ty.to_owned(), Some(format.to_owned())))
        }
        None if TYPES.contains(&text) => Some((text.to_owned(), None)),
        _ => None,
    }
}

/// A section title both layouts use, and the place of its parameters (`None`: not parameters).
fn section(line: &str) -> Option<Option<Place>> {
    match line.trim() {
        "Path Parameters" => Some(Some(Place::Path)),
        "Query Parameters" => Some(Some(Place::Query)),
        "Header Parameters" | "Headers" => Some(Some(Place::Header)),
        "Authorizations" | "Authorization" | "Response" | "Response Body" | "Body"
        | "Request Body" | "Responses" => Some(None),
        _ => None,
    }
}

fn new_param(name: &str, place: Place, ty: TypeAndFormat, line: usize) -> Param {
    Param {
        name: name.to_owned(),
        place,
        ty: ty.0,
        format: ty.1,
        required: place == Place::Path,
        description: None,
        options: Vec::new(),
        minimum: None,
        maximum: None,
        line,
        options_line: line,
        range_line: line,
    }
}

fn add_description(param: &mut Param, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    match &mut param.description {
        Some(text) => {
            text.push(' ');
            text.push_str(line);
        }
        None => param.description = Some(line.to_owned()),
    }
}

/// `x >= 0`, `1 <= x <= 100`, `x < 5` → the bounds.
fn range(text: &str) -> Result<(Option<Bound>, Option<Bound>), String> {
    let bad =
        || format!("unreadable range `{text}`: expected forms like `x >= 0` or `1 <= x <= 100`");
    let parts: Vec<&str> = text.split_whitespace().collect();
    let number = |s: &str| s.parse::<f64>().map_err(|_| bad());
    let bound = |op: &str, value: f64| Bound {
        value,
        exclusive: !op.ends_with('='),
    };
    match parts.as_slice() {
        ["x", op @ (">=" | ">"), n] => Ok((Some(bound(op, number(n)?)), None)),
        ["x", op @ ("<=" | "<"), n] => Ok((None, Some(bound(op, number(n)?)))),
        [lo, op1 @ ("<=" | "<"), "x", op2 @ ("<=" | "<"), hi] => {
            Ok((Some(bound(op1, number(lo)?)), Some(bound(op2, number(hi)?))))
        }
        _ => Err(bad()),
    }
}

fn sakari(text: &str, lines: &[&str], first: usize) -> Result<Page, PageError> {
    let method = lines[first].trim().to_owned();
    let curl = lines
        .iter()
        .position(|l| l.trim() == "cURL")
        .ok_or_else(|| PageError {
            line: first + 1,
            message: "no `cURL` line after the path".into(),
        })?;
    let path: String = lines[first + 1..curl].iter().map(|l| l.trim()).collect();
    let starts = line_starts(text);
    let body_line = (curl..lines.len())
        .find(|&i| lines[i].trim_start().starts_with('{'))
        .ok_or_else(|| PageError {
            line: curl + 1,
            message: "no example body after the cURL example".into(),
        })?;
    let (bodies, end) = bodies_from(text, starts[body_line])?;
    let mut page = Page {
        layout: Layout::Sakari,
        method,
        path,
        path_line: first + 2,
        summary: None,
        params: Vec::new(),
        bodies,
        status: None,
        media_type: None,
    };
    let mut place: Option<Place> = None;
    let mut in_response = false;
    let mut i = line_at(&starts, end);
    while i < lines.len() {
        let line = lines[i].trim();
        let number = i + 1;
        if let Some(next) = section(line) {
            place = next;
            in_response = line == "Response";
            i += 1;
            continue;
        }
        if in_response {
            if page.status.is_none() {
                let (status, media) = line.split_once(" - ").unwrap_or((line, ""));
                if let Ok(status) = status.trim().parse::<u16>() {
                    page.status = Some((status, number));
                    if !media.is_empty() {
                        page.media_type = Some(media.trim().to_owned());
                    }
                }
            } else if page.media_type.is_none() && line.contains('/') && !line.contains(' ') {
                page.media_type = Some(line.to_owned());
            }
            i += 1;
            continue;
        }
        let Some(place) = place else {
            i += 1;
            continue;
        };
        // A parameter starts with its name, then its type on the next line.
        if !line.is_empty() {
            if let Some(ty) = lines.get(i + 1).and_then(|l| page_type(l)) {
                page.params.push(new_param(line, place, ty, number));
                i += 2;
                continue;
            }
        }
        let Some(param) = page.params.last_mut() else {
            i += 1;
            continue;
        };
        if line == "required" {
            param.required = true;
        } else if line == "Available options:" {
            param.options_line = number + 1;
            i += 1;
            while let Some(option) = lines.get(i).map(|l| l.trim()) {
                let (value, more) = match option.strip_suffix(',') {
                    Some(value) => (value, true),
                    None => (option, false),
                };
                param.options.push(value.trim().to_owned());
                i += 1;
                if !more {
                    break;
                }
            }
            continue;
        } else if let Some(text) = line.strip_prefix("Required range:") {
            let (min, max) = range(text).map_err(|message| PageError {
                line: number,
                message,
            })?;
            param.minimum = min;
            param.maximum = max;
            param.range_line = number;
        } else {
            add_description(param, line);
        }
        i += 1;
    }
    Ok(page)
}

fn textus(text: &str, lines: &[&str], at: usize) -> Result<Page, PageError> {
    let (method, path) = method_and_path(lines[at]).expect("checked by the caller");
    let params = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| new_param(name, Place::Path, ("string".into(), None), at + 1))
        .collect();
    let starts = line_starts(text);
    let mut status = None;
    let mut media_type = None;
    for (i, line) in lines.iter().enumerate() {
        if line.trim() == "Status" {
            if let Some(s) = lines.get(i + 1).and_then(|l| l.trim().parse::<u16>().ok()) {
                status = Some((s, i + 2));
            }
        }
        if let Some(rest) = line.trim_start().strip_prefix("$ curl") {
            if let Some((_, accept)) = rest.split_once("Accept:\"") {
                media_type = accept.split('"').next().map(str::to_owned);
            }
        }
    }
    let example = lines
        .iter()
        .position(|l| l.trim() == "Example Body")
        .ok_or_else(|| PageError {
            line: at + 1,
            message: "no `Example Body`".into(),
        })?;
    let (bodies, _) = bodies_from(text, *starts.get(example + 1).unwrap_or(&text.len()))?;
    Ok(Page {
        layout: Layout::TextUs,
        method: method.to_owned(),
        path,
        path_line: at + 1,
        summary: lines
            .get(at + 1)
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty()),
        params,
        bodies,
        status,
        media_type,
    })
}

fn chatwoot(text: &str, lines: &[&str]) -> Result<Page, PageError> {
    let curl = lines
        .iter()
        .position(|l| l.trim_start().starts_with("curl -X"))
        .expect("checked by the caller");
    let command = lines[curl].trim_start();
    let mut words = command["curl -X".len()..].trim_start().splitn(2, ' ');
    let method = words.next().unwrap_or_default().to_owned();
    let after = words.next().unwrap_or_default();
    let url = after.trim_start_matches('"');
    let url_end = url.find('"').ok_or_else(|| PageError {
        line: curl + 1,
        message: "the curl line has no quoted URL".into(),
    })?;
    let url = &url[..url_end];
    let concrete = url
        .find("://")
        .and_then(|scheme| url[scheme + 3..].find('/').map(|p| &url[scheme + 3 + p..]))
        .unwrap_or(url);
    let mut page = Page {
        layout: Layout::Chatwoot,
        method,
        path: String::new(),
        path_line: curl + 1,
        summary: lines.get(1).map(|l| l.trim().to_owned()),
        params: Vec::new(),
        bodies: Vec::new(),
        status: Some((200, curl + 1)),
        media_type: None,
    };
    let mut place = None;
    for (i, line) in lines[..curl].iter().enumerate() {
        let line = line.trim();
        if let Some(next) = section(line) {
            place = next;
            if line == "Response Body" {
                page.media_type = lines.get(i + 1).map(|l| l.trim().to_owned());
            }
            continue;
        }
        if line.starts_with("In: ") {
            continue;
        }
        let Some(place) = place else { continue };
        match chatwoot_param(line) {
            Some((name, required, ty)) => {
                let mut param = new_param(name, place, ty, i + 1);
                param.required = required;
                page.params.push(param);
            }
            None => {
                if let Some(param) = page.params.last_mut() {
                    if let Some(values) = line.strip_prefix("Value in:") {
                        param.options_line = i + 1;
                        param.options = values
                            .split('|')
                            .map(|v| v.trim().trim_matches('"').to_owned())
                            .collect();
                    } else {
                        add_description(param, line);
                    }
                }
            }
        }
    }
    // The URL shows example values where the path has parameters: take the path parameters in
    // order for the segments that are placeholders (`0`, `string`).
    let mut names = page
        .params
        .iter()
        .filter(|p| p.place == Place::Path)
        .map(|p| p.name.clone());
    page.path = concrete
        .split('/')
        .map(|segment| {
            let placeholder = !segment.is_empty()
                && (segment.bytes().all(|b| b.is_ascii_digit()) || segment == "string");
            match placeholder.then(|| names.next()).flatten() {
                Some(name) => format!("{{{name}}}"),
                None => segment.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let starts = line_starts(text);
    let body_start = starts[curl] + lines[curl].find(url).unwrap_or(0) + url.len() + 1;
    page.bodies = bodies_from(text, body_start)?.0;
    Ok(page)
}

/// `account_id*integer` → (`account_id`, required, integer).
fn chatwoot_param(line: &str) -> Option<(&str, bool, TypeAndFormat)> {
    if line.contains(' ') {
        return None;
    }
    for ty in ["integer", "string", "number", "boolean", "object"] {
        let suffixes = [ty.to_string(), format!("array<{ty}>")];
        for suffix in &suffixes {
            if let Some(head) = line.strip_suffix(suffix.as_str()) {
                let (name, required) = match head.strip_suffix('*') {
                    Some(name) => (name, true),
                    None => (head, false),
                };
                if name.is_empty() {
                    return None;
                }
                let ty = if suffix.starts_with("array") {
                    "array"
                } else {
                    ty
                };
                return Some((name, required, (ty.to_owned(), None)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_bounds() {
        let b = |value, exclusive| Some(Bound { value, exclusive });
        assert_eq!(range(" x >= 0"), Ok((b(0.0, false), None)));
        assert_eq!(range("1 <= x <= 100"), Ok((b(1.0, false), b(100.0, false))));
        assert_eq!(range("x < 5"), Ok((None, b(5.0, true))));
        assert!(range("between 1 and 2").is_err());
    }

    #[test]
    fn page_types_read_as_json_types() {
        assert_eq!(page_type("enum<string>"), Some(("string".into(), None)));
        assert_eq!(
            page_type("string<date-time>"),
            Some(("string".into(), Some("date-time".into())))
        );
        assert_eq!(page_type("Direction of call"), None);
    }
}
