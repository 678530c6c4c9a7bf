//! Line and column of every value in a JSON text, keyed by JSON pointer.
//!
//! `serde_json` parses the document; this scanner only walks the (already valid) text once more to
//! record where each value starts, so diagnostics can point at it. It never panics: on text it does not
//! understand it stops and keeps what it has.

use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write as _;

/// Escapes one JSON pointer reference token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    escape_token_into(token, &mut out);
    out
}

/// Appends one JSON pointer reference token, escaped (RFC 6901), to `out`.
pub fn escape_token_into(token: &str, out: &mut String) {
    if memchr::memchr2(b'~', b'/', token.as_bytes()).is_none() {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Unescapes one JSON pointer reference token (RFC 6901).
pub fn unescape_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut parts = token.split('~');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        // `~1` is `/`, `~0` is `~`; a `~` before anything else is kept as it is.
        match part.as_bytes().first() {
            Some(b'1') => out.push('/'),
            Some(b'0') => out.push('~'),
            _ => {
                out.push('~');
                out.push_str(part);
                continue;
            }
        }
        out.push_str(&part[1..]);
    }
    out
}

/// The value `pointer` (RFC 6901, `""` for the root) finds in `root`, as `Value::pointer` does,
/// but without allocating for the tokens that need no unescaping: lowering resolves many.
pub fn resolve<'v>(root: &'v serde_json::Value, pointer: &str) -> Option<&'v serde_json::Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut rest = pointer.strip_prefix('/')?;
    let mut value = root;
    loop {
        let end = memchr::memchr(b'/', rest.as_bytes());
        let token = &rest[..end.unwrap_or(rest.len())];
        let token: std::borrow::Cow<'_, str> = if memchr::memchr(b'~', token.as_bytes()).is_some() {
            unescape_token(token).into()
        } else {
            token.into()
        };
        value = match value {
            serde_json::Value::Object(map) => map.get(token.as_ref())?,
            serde_json::Value::Array(items) => items.get(array_index(&token)?)?,
            _ => return None,
        };
        match end {
            Some(end) => rest = &rest[end + 1..],
            None => return Some(value),
        }
    }
}

/// An array index token: digits, without leading zeros (RFC 6901).
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// JSON pointer → (line, column) of the value there, both 1-based.
pub type Positions = HashMap<String, (usize, usize)>;

/// The position of the value at `pointer`, or of the nearest value enclosing it that has one.
pub fn nearest(positions: &Positions, pointer: &str) -> Option<(usize, usize)> {
    let mut pointer = pointer;
    loop {
        if let Some(pos) = positions.get(pointer) {
            return Some(*pos);
        }
        pointer = &pointer[..pointer.rfind('/')?];
    }
}

/// Pointer → (line, column), both 1-based.
pub fn index(text: &str) -> Positions {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        counted: 0,
        chars: 0,
        out: HashMap::default(),
    };
    let mut pointer = String::new();
    scanner.value(&mut pointer, 0);
    scanner.out
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// Where the count of characters since `line_start` (`chars`) got to: columns are counted on
    /// from there, so a long line (a minified document) is read once, not once per value.
    counted: usize,
    chars: usize,
    out: Positions,
}

/// Deeper documents than this are indexed only down to this depth.
const MAX_DEPTH: usize = 256;

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) {
        if self.peek() == Some(b'\n') {
            self.line += 1;
            self.line_start = self.pos + 1;
        }
        self.pos += 1;
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn column(&mut self) -> usize {
        // Columns count characters, not bytes.
        if self.counted < self.line_start {
            self.counted = self.line_start;
            self.chars = 0;
        }
        let more = self.bytes.get(self.counted..self.pos).unwrap_or_default();
        self.chars += more.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.counted = self.counted.max(self.pos);
        self.chars + 1
    }

    /// Scans one value; returns false when the text stops making sense.
    fn value(&mut self, pointer: &mut String, depth: usize) -> bool {
        self.skip_ws();
        if depth <= MAX_DEPTH {
            let at = (self.line, self.column());
            self.out.insert(pointer.clone(), at);
        }
        match self.peek() {
            Some(b'{') => self.object(pointer, depth),
            Some(b'[') => self.array(pointer, depth),
            Some(b'"') => self.string().is_some(),
            Some(_) => {
                while matches!(self.peek(), Some(c) if !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    self.bump();
                }
                true
            }
            None => false,
        }
    }

    /// Scans a string and returns its raw (still escaped) contents. (A line break inside a
    /// string is not JSON; it is stepped over without counting, as the parser would refuse it.)
    fn string(&mut self) -> Option<&str> {
        let start = self.pos + 1;
        let mut end = start;
        loop {
            match *self.bytes.get(end)? {
                b'\\' => end += 2,
                b'"' => break,
                _ => end += 1,
            }
        }
        self.pos = end + 1;
        std::str::from_utf8(self.bytes.get(start..end)?).ok()
    }

    fn object(&mut self, pointer: &mut String, depth: usize) -> bool {
        self.bump();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'}') => {
                    self.bump();
                    return true;
                }
                Some(b',') => self.bump(),
                Some(b'"') => {
                    let Some(raw) = self.string() else {
                        return false;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    if raw.contains('\\') {
                        let key = serde_json::from_str::<String>(&format!("\"{raw}\""))
                            .unwrap_or_else(|_| raw.to_owned());
                        escape_token_into(&key, pointer);
                    } else {
                        escape_token_into(raw, pointer);
                    }
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.bump();
                    let ok = self.value(pointer, depth + 1);
                    pointer.truncate(len);
                    if !ok {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) -> bool {
        self.bump();
        let mut index = 0usize;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.bump();
                    return true;
                }
                Some(b',') => self.bump(),
                Some(_) => {
                    let len = pointer.len();
                    pointer.push('/');
                    let _ = write!(pointer, "{index}");
                    let ok = self.value(pointer, depth + 1);
                    pointer.truncate(len);
                    if !ok {
                        return false;
                    }
                    index += 1;
                }
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pointers_as_serde_json_does() {
        let doc = serde_json::json!({
            "a/b": {"m~n": [10, 20, {"": "empty key"}]},
            "list": ["x", "y"],
            "": 1
        });
        for pointer in [
            "",
            "/",
            "/a~1b",
            "/a~1b/m~0n",
            "/a~1b/m~0n/1",
            "/a~1b/m~0n/2/",
            "/list/0",
            "/list/01",
            "/list/+1",
            "/list/-",
            "/list/2",
            "/missing",
            "/list/0/deeper",
            "no-slash",
            "/a~1b/m~0n/18446744073709551616",
        ] {
            assert_eq!(resolve(&doc, pointer), doc.pointer(pointer), "{pointer:?}");
        }
        assert_eq!(resolve(&doc, "/a~1b/m~0n/1"), Some(&serde_json::json!(20)));
    }

    #[test]
    fn records_line_and_column_of_each_value() {
        let text = "{\n  \"a\": [1, {\"b/c\": true}],\n  \"é\": \"x\"\n}";
        let idx = index(text);
        assert_eq!(idx[""], (1, 1));
        assert_eq!(idx["/a"], (2, 8));
        assert_eq!(idx["/a/0"], (2, 9));
        assert_eq!(idx["/a/1/b~1c"], (2, 20));
        assert_eq!(idx["/é"], (3, 8));
    }

    #[test]
    fn unescapes_tokens_as_rfc_6901_says() {
        for (token, meaning) in [
            ("a", "a"),
            ("a~1b", "a/b"),
            ("m~0n", "m~n"),
            ("~01", "~1"),
            ("~10", "/0"),
            ("~~1", "~/"),
            ("~2x~", "~2x~"),
            ("~1api~1v1~1{id}", "/api/v1/{id}"),
        ] {
            assert_eq!(unescape_token(token), meaning, "{token}");
            assert_eq!(unescape_token(&escape_token(meaning)), meaning, "{meaning}");
        }
    }

    #[test]
    fn escaped_names_are_keyed_by_what_they_mean() {
        let text = "{\"a\\\"b\": 1, \"\\u00e9\\/\": [\"\\\"\", 2]}";
        let idx = index(text);
        assert_eq!(idx["/a\"b"], (1, 10));
        assert_eq!(idx["/é~1"], (1, 25));
        assert_eq!(idx["/é~1/1"], (1, 32));
    }

    #[test]
    fn counts_columns_on_one_long_line() {
        let text = "{\"é\":[1,{\"b\":\"ü\"},3],\"c\":\"x\"}";
        let idx = index(text);
        assert_eq!(idx["/é"], (1, 6));
        assert_eq!(idx["/é/1"], (1, 9));
        assert_eq!(idx["/é/1/b"], (1, 14));
        assert_eq!(idx["/é/2"], (1, 19));
        assert_eq!(idx["/c"], (1, 26));
        // Ten thousand values on one line: each column is counted on from the one before (from the
        // start of the line each time, this was quadratic).
        let long = format!("[{}]", vec!["1"; 10_000].join(","));
        assert_eq!(index(&long)["/9999"], (1, 20_000));
    }

    #[test]
    fn survives_garbage() {
        for text in ["", "{", "[1,", "{\"a\"", "{\"a\":}", "\"\\", "{]"] {
            let _ = index(text);
        }
    }
}
