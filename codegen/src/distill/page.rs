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

use crate::ir::Security;
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
    /// How requests authenticate, where the page says.
    pub auth: Option<Auth>,
}

/// A page's authentication: what is sent, and the scheme's name if the page gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub sends: Security,
    pub scheme: Option<String>,
    pub line: usize,
}

/// How a page's authentication reads in a finding.
pub fn describe(sends: &Security) -> String {
    match sends {
        Security::Bearer => "`Authorization: Bearer <token>`".to_owned(),
        Security::Basic => "HTTP basic authentication".to_owned(),
        Security::ApiKeyHeader(name) => format!("a key in the `{name}` header"),
        Security::ApiKeyQuery(name) => format!("a key in the `{name}` query parameter"),
        Security::ClientCredentials { token_url, .. } => {
            format!("a bearer token from the client-credentials flow at `{token_url}`")
        }
    }
}

/// The index of the first line of an example request that sends a bearer token.
fn bearer_in_example(lines: &[&str]) -> Option<usize> {
    lines
        .iter()
        .position(|l| l.contains("Authorization") && l.contains("Bearer"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Sakari,
    Chatwoot,
    TextUs,
}

impl Layout {
    /// Whether the layout shows a parameter's range (`Required range:`), so that a range in the
    /// schema alone is a difference.
    pub fn shows_ranges(self) -> bool {
        self == Layout::Sakari
    }

    /// Whether the layout lists an enum parameter's values (`Available options:`, `Value in:`).
    pub fn shows_options(self) -> bool {
        self != Layout::TextUs
    }

    /// Whether the layout has parameter tables (TextUs shows only the path's placeholders).
    pub fn shows_parameters(self) -> bool {
        self != Layout::TextUs
    }
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
    /// The JSON type (`string`, `integer`, …), where the page gives one.
    pub ty: Option<String>,
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
        positions::nearest(&self.lines, pointer).map_or(self.line, |(line, _)| line)
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
fn bodies_from(text: &str, starts: &[usize], from: usize) -> Result<(Vec<Body>, usize), PageError> {
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
                    line: line_at(starts, start) + e.line() - 1,
                    message: format!("the example body does not read as JSON: {e}"),
                })
            }
            None => return Ok((bodies, at)),
        };
        let end = start + stream.byte_offset();
        let first_line = line_at(starts, start);
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
        // `array<string>`: the items' type is no format.
        Some(("array", items)) => items
            .strip_suffix('>')
            .and_then(page_type)
            .map(|_| ("array".to_owned(), None)),
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

fn new_param(name: &str, place: Place, ty: Option<TypeAndFormat>, line: usize) -> Param {
    let (ty, format) = ty.map_or((None, None), |(ty, format)| (Some(ty), format));
    Param {
        name: name.to_owned(),
        place,
        ty,
        format,
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
    // The example request, if there is one: `curl …` and its continuation lines (ending in `\`).
    let mut after_curl = curl + 1;
    if lines
        .get(after_curl)
        .is_some_and(|l| l.trim_start().starts_with("curl"))
    {
        while lines
            .get(after_curl)
            .is_some_and(|l| l.trim_end().ends_with('\\'))
        {
            after_curl += 1;
        }
        after_curl = (after_curl + 1).min(lines.len());
    }
    let (bodies, end) = bodies_from(
        text,
        &starts,
        *starts.get(after_curl).unwrap_or(&text.len()),
    )?;
    let mut page = Page {
        layout: Layout::Sakari,
        method,
        path,
        // The method's line, where the path begins.
        path_line: first + 1,
        summary: None,
        params: Vec::new(),
        bodies,
        status: None,
        media_type: None,
        auth: None,
    };
    let mut i = line_at(&starts, end);
    page.auth = sakari_auth(lines, i);
    let mut place: Option<Place> = None;
    let mut in_response = false;
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
                page.params.push(new_param(line, place, Some(ty), number));
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
            i += 1;
            while lines.get(i).is_some_and(|l| l.trim().is_empty()) {
                i += 1;
            }
            param.options_line = i + 1;
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

/// Sakari's `Authorizations` block: the header's name, its type, `header` (or `query`).
fn sakari_auth(lines: &[&str], from: usize) -> Option<Auth> {
    let title = (from..lines.len()).find(|&i| lines[i].trim() == "Authorizations")?;
    let name_at = (title + 1..lines.len()).find(|&i| !lines[i].trim().is_empty())?;
    let name = lines[name_at].trim();
    let place = lines
        .iter()
        .skip(name_at + 1)
        .take(3)
        .map(|l| l.trim())
        .find(|l| *l == "header" || *l == "query")?;
    let sends = match place {
        "header" if name == "Authorization" && bearer_in_example(lines).is_some() => {
            Security::Bearer
        }
        "header" => Security::ApiKeyHeader(name.to_owned()),
        _ => Security::ApiKeyQuery(name.to_owned()),
    };
    Some(Auth {
        sends,
        scheme: None,
        line: name_at + 1,
    })
}

fn textus(text: &str, lines: &[&str], at: usize) -> Result<Page, PageError> {
    let (method, path) = method_and_path(lines[at]).expect("checked by the caller");
    let params = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| new_param(name, Place::Path, None, at + 1))
        .collect();
    let starts = line_starts(text);
    let example = lines.iter().position(|l| l.trim() == "Example Body");
    let mut status = None;
    let mut media_type = None;
    // The status and the request's `Accept` of the example whose body is read: the last ones
    // before its `Example Body`.
    for (i, line) in lines
        .iter()
        .enumerate()
        .take(example.unwrap_or(lines.len()))
    {
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
    let bodies = match example {
        Some(example) => {
            bodies_from(
                text,
                &starts,
                *starts.get(example + 1).unwrap_or(&text.len()),
            )?
            .0
        }
        None => Vec::new(),
    };
    let auth = bearer_in_example(lines).map(|i| Auth {
        sends: Security::Bearer,
        scheme: None,
        line: i + 1,
    });
    Ok(Page {
        layout: Layout::TextUs,
        auth,
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
    let command = lines[curl];
    let method = command
        .trim_start()
        .trim_start_matches("curl -X")
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let no_url = || PageError {
        line: curl + 1,
        message: "the curl line has no quoted URL".into(),
    };
    let open = command.find('"').ok_or_else(no_url)?;
    let close = open + 1 + command[open + 1..].find('"').ok_or_else(no_url)?;
    let url = &command[open + 1..close];
    let url = &url[..url.find(['?', '#']).unwrap_or(url.len())];
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
        // The page does not give the success status: the schema's first 2xx answer is taken.
        status: None,
        media_type: None,
        auth: chatwoot_auth(&lines[..curl]),
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
                let mut param = new_param(name, place, Some(ty), i + 1);
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
    page.bodies = bodies_from(text, &starts, starts[curl] + close + 1)?.0;
    Ok(page)
}

/// Chatwoot's `Authorization` block: `scheme name<token>`, then `In: header` (or `In: query`).
fn chatwoot_auth(lines: &[&str]) -> Option<Auth> {
    let title = lines.iter().position(|l| l.trim() == "Authorization")?;
    let (scheme, name) = lines.get(title + 1)?.trim().split_once(' ')?;
    let name = name.split('<').next().unwrap_or(name);
    let place = lines
        .iter()
        .skip(title + 2)
        .take(4)
        .find_map(|l| l.trim().strip_prefix("In: "))?;
    let sends = match place {
        "header" if name == "Authorization" => Security::Bearer,
        "header" => Security::ApiKeyHeader(name.to_owned()),
        "query" => Security::ApiKeyQuery(name.to_owned()),
        _ => return None,
    };
    Some(Auth {
        sends,
        scheme: Some(scheme.to_owned()),
        line: title + 2,
    })
}

/// `account_id*integer` → (`account_id`, required, integer): a name, `*` when required, and a
/// type [`page_type`] reads, written together.
fn chatwoot_param(line: &str) -> Option<(&str, bool, TypeAndFormat)> {
    if line.contains(' ') {
        return None;
    }
    // The longest tail that is a type: `string<date-time>` rather than `date-time>`.
    let (head, ty) = line
        .char_indices()
        .skip(1)
        .find_map(|(i, _)| Some((&line[..i], page_type(&line[i..])?)))?;
    let (name, required) = match head.strip_suffix('*') {
        Some(name) => (name, true),
        None => (head, false),
    };
    (!name.is_empty()).then_some((name, required, ty))
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
        assert_eq!(page_type("array<integer>"), Some(("array".into(), None)));
    }

    #[test]
    fn a_sakari_page_without_a_curl_command_and_with_an_array_body_reads() {
        let page = read("GET\n/\nv1\n/\nthings\ncURL\n[\n  {\"id\": \"<string>\"}\n]\n\nResponse\n\n200 - application/json\n")
            .expect("reads");
        assert_eq!(page.path, "/v1/things");
        assert_eq!((page.bodies.len(), page.bodies[0].line), (1, 7));
        assert_eq!(page.status, Some((200, 13)));
        assert_eq!(page.media_type.as_deref(), Some("application/json"));
    }

    #[test]
    fn a_chatwoot_page_gives_its_path_options_and_bodies() {
        let page = read(concat!(
            "Conversations\nList\nPath Parameters\naccount_id*integer\nThe account\n",
            "Query Parameters\nstatusstring\nFilter by status\nValue in: \"open\" | \"resolved\"\n",
            "Response Body\napplication/json\n",
            "curl -X GET  \"https://example.com/api/v1/accounts/0/conversations?status=open\"[\n{\"id\": 0}\n]",
        ))
        .expect("reads");
        assert_eq!(
            (page.method.as_str(), page.path.as_str()),
            ("GET", "/api/v1/accounts/{account_id}/conversations")
        );
        assert_eq!(page.params[1].options, ["open", "resolved"]);
        assert_eq!(page.params[1].options_line, 9);
        assert_eq!(
            (page.bodies.len(), page.bodies[0].line_of("/0/id")),
            (1, 13)
        );
        assert_eq!(page.status, None);
    }

    #[test]
    fn chatwoot_parameter_lines_split_into_name_flag_and_type() {
        let t = |ty: &str, format: Option<&str>| (ty.to_owned(), format.map(str::to_owned));
        assert_eq!(
            chatwoot_param("account_id*integer"),
            Some(("account_id", true, t("integer", None)))
        );
        assert_eq!(
            chatwoot_param("sincestring<date-time>"),
            Some(("since", false, t("string", Some("date-time"))))
        );
        assert_eq!(
            chatwoot_param("labelsarray<string>"),
            Some(("labels", false, t("array", None)))
        );
        assert_eq!(chatwoot_param("The numeric ID of the account"), None);
    }
}
