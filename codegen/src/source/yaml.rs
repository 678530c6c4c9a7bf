//! YAML documents, read into the same JSON value and position table a JSON document gives, so the
//! rest of the generator (and every diagnostic: file, line:column, JSON pointer) cannot tell them
//! apart. `yaml-rust2` parses (YAML 1.2); this module builds the value from its events and settles
//! YAML's own traps with a faithful reading or a clear error:
//!
//! - scalars are read by the YAML 1.2 core schema (`null`, `~`, `true`, `1`, `0x1f`, `1.5e3`;
//!   quoted scalars are strings), and the tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`
//!   are honoured; any other tag is an error;
//! - a mapping key that is a number or a boolean (`200:`) is the key as written (`"200"`), as JSON
//!   keys are text; a key that is a mapping or a sequence is an error, and so is a key given twice;
//! - anchors and aliases are resolved, with a limit on how many values aliases may expand to (an
//!   "alias bomb" is refused); merge keys (`<<: *base`, `<<: [*a, *b]`) merge, the mapping's own
//!   keys winning;
//! - one document per file; `.inf` and `.nan` (which JSON cannot hold) are errors; nesting deeper
//!   than JSON's limit (128) is refused, as for JSON.

use super::positions::{escape_token_into, Positions};
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How deep values may nest (serde_json's own limit for JSON documents).
const MAX_DEPTH: usize = 128;
/// How many values aliases may expand to, in all.
const MAX_ALIAS_VALUES: usize = 1_000_000;

/// What went wrong, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line_col: (usize, usize),
}

/// Parses a YAML text: the value, and (when `record`) JSON pointer → (line, column) of every
/// value in it.
///
/// A flow collection (`{…}`, `[…]`) continued or closed on a line indented no more than the
/// block it is in, which YAML 1.2 forbids but libyaml (PyYAML, Ruby, most tools) reads and real
/// documents rely on (Matrix's), is read as libyaml reads it: the line is taken as indented just
/// enough, and positions stay those of the text as written.
pub fn read(text: &str, record: bool) -> Result<(Value, Positions), YamlError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    // (line, spaces added at its start), for each line taken as indented further.
    let mut shifted: Vec<(usize, usize)> = Vec::new();
    loop {
        match parse(&text, record) {
            Ok((value, mut positions)) => {
                if !shifted.is_empty() {
                    for (line, col) in positions.values_mut() {
                        let by: usize = shifted
                            .iter()
                            .filter(|(l, _)| l == line)
                            .map(|(_, by)| by)
                            .sum();
                        *col = col.saturating_sub(by).max(1);
                    }
                }
                return Ok((value, positions));
            }
            Err(e)
                if e.message.starts_with("invalid indentation")
                    && shifted.len() < MAX_FLOW_REPAIRS =>
            {
                let (line, _) = e.line_col;
                match indent_flow_line(&text, line) {
                    Some(fixed) => {
                        shifted.push((line, 1));
                        text = std::borrow::Cow::Owned(fixed);
                    }
                    None => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// How many times a line of flow content may be taken as indented one more space, in all: each
/// time the text is parsed again (up to that line), so a hostile text cannot make this take long.
const MAX_FLOW_REPAIRS: usize = 1_000;

/// `text` with one space more at the start of `line` (1-based), when that line continues or
/// closes a flow collection: it starts with `}` or `]`, or the line before it that holds anything
/// ends inside one (with `{`, `[` or `,`).
fn indent_flow_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let index = line.checked_sub(1)?;
    let here = lines.get(index)?.trim_start_matches(' ');
    let before = lines[..index]
        .iter()
        .rev()
        .map(|l| l.trim_end())
        .find(|l| !l.trim_start().is_empty() && !l.trim_start().starts_with('#'))?;
    let continues = before.ends_with(['{', '[', ',']);
    if !(here.starts_with(['}', ']']) || continues) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 1);
    for (i, l) in lines.iter().enumerate() {
        if i == index {
            out.push(' ');
        }
        out.push_str(l);
    }
    Some(out)
}

fn parse(text: &str, record: bool) -> Result<(Value, Positions), YamlError> {
    let mut events = Events::default();
    Parser::new_from_str(text)
        .load(&mut events, true)
        .map_err(|e| YamlError {
            message: e.info().to_owned(),
            line_col: at(e.marker()),
        })?;
    let Some(&(_, end)) = events.0.last() else {
        return Err(YamlError {
            message: "the file holds no YAML document".into(),
            line_col: (1, 1),
        });
    };
    let mut builder = Builder {
        end,
        events: &events.0,
        next: 0,
        anchors: HashMap::default(),
        positions: HashMap::default(),
        record,
        aliased: 0,
    };
    builder.document()
}

fn at(mark: &Marker) -> (usize, usize) {
    (mark.line(), mark.col() + 1)
}

#[derive(Default)]
struct Events(Vec<(Event, Marker)>);

impl MarkedEventReceiver for Events {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.0.push((event, mark));
    }
}

struct Builder<'e> {
    end: Marker,
    events: &'e [(Event, Marker)],
    next: usize,
    anchors: HashMap<usize, Value>,
    positions: Positions,
    /// Whether `positions` is filled (only a diagnostic needs it).
    record: bool,
    aliased: usize,
}

fn fail<T>(message: impl Into<String>, mark: &Marker) -> Result<T, YamlError> {
    Err(YamlError {
        message: message.into(),
        line_col: at(mark),
    })
}

impl Builder<'_> {
    /// Where the text ends (the last event's place).
    fn end(&self) -> Marker {
        self.end
    }

    fn take(&mut self) -> Option<&(Event, Marker)> {
        let event = self.events.get(self.next);
        self.next += 1;
        event
    }

    /// The one document of the stream.
    fn document(&mut self) -> Result<(Value, Positions), YamlError> {
        let end = self.end();
        let starts: Vec<&Marker> = self
            .events
            .iter()
            .filter(|(e, _)| *e == Event::DocumentStart)
            .map(|(_, m)| m)
            .collect();
        match starts.as_slice() {
            [] => return fail("the file holds no YAML document", &end),
            [_] => {}
            [_, second, ..] => {
                return fail(
                    "the file holds more than one YAML document (`---`); one is expected",
                    second,
                )
            }
        }
        while let Some((event, _)) = self.take() {
            if *event == Event::DocumentStart {
                break;
            }
        }
        let mut pointer = String::new();
        let value = self.value(&mut pointer, 0)?;
        Ok((value, std::mem::take(&mut self.positions)))
    }

    /// The value that starts with the next event, at `pointer`.
    fn value(&mut self, pointer: &mut String, depth: usize) -> Result<Value, YamlError> {
        let Some((event, mark)) = self.take().cloned() else {
            let end = self.end();
            return fail("the document ends where a value was expected", &end);
        };
        if depth > MAX_DEPTH {
            return fail(
                format!("the document nests deeper than {MAX_DEPTH} levels"),
                &mark,
            );
        }
        if self.record {
            self.positions.insert(pointer.clone(), at(&mark));
        }
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                (scalar(&text, style, tag.as_ref(), &mark)?, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                no_tag(tag.as_ref(), "!!seq", &mark)?;
                let mut items = Vec::new();
                loop {
                    if let Some((Event::SequenceEnd, _)) = self.events.get(self.next) {
                        self.next += 1;
                        break;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&items.len().to_string());
                    let item = self.value(pointer, depth + 1);
                    pointer.truncate(len);
                    items.push(item?);
                }
                (Value::Array(items), anchor)
            }
            Event::MappingStart(anchor, tag) => {
                no_tag(tag.as_ref(), "!!map", &mark)?;
                (Value::Object(self.mapping(pointer, depth)?), anchor)
            }
            Event::Alias(id) => {
                let Some(value) = self.anchors.get(&id) else {
                    return fail(
                        "an alias refers to an anchor that is not defined before it",
                        &mark,
                    );
                };
                self.aliased += count(value);
                if self.aliased > MAX_ALIAS_VALUES {
                    return fail(
                        format!("aliases expand to more than {MAX_ALIAS_VALUES} values; refused as an alias bomb"),
                        &mark,
                    );
                }
                (value.clone(), 0)
            }
            other => return fail(format!("unexpected YAML event {other:?}"), &mark),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        Ok(value)
    }

    /// The entries of a mapping whose start was just read, up to its end; merge keys applied.
    fn mapping(
        &mut self,
        pointer: &mut String,
        depth: usize,
    ) -> Result<Map<String, Value>, YamlError> {
        let mut map = Map::new();
        let mut key_marks: HashMap<String, Marker> = HashMap::default();
        let mut merged: Vec<Value> = Vec::new();
        loop {
            let Some((event, mark)) = self.take().cloned() else {
                let end = self.end();
                return fail("the document ends inside a mapping", &end);
            };
            let key = match event {
                Event::MappingEnd => break,
                Event::Scalar(text, style, _, tag) => {
                    no_tag(tag.as_ref(), "!!str", &mark)?;
                    if style == TScalarStyle::Plain && text == "<<" {
                        let len = pointer.len();
                        pointer.push_str("/<<");
                        let value = self.value(pointer, depth + 1);
                        pointer.truncate(len);
                        merged.push(value?);
                        continue;
                    }
                    text
                }
                Event::Alias(_) | Event::SequenceStart(..) | Event::MappingStart(..) => {
                    return fail(
                        "a mapping key must be a scalar (a sequence, mapping or alias cannot be a JSON key)",
                        &mark,
                    )
                }
                other => return fail(format!("unexpected YAML event {other:?}"), &mark),
            };
            if let Some(first) = key_marks.get(&key) {
                let (line, col) = at(first);
                return fail(
                    format!("duplicate key `{key}` (first at {line}:{col})"),
                    &mark,
                );
            }
            key_marks.insert(key.clone(), mark);
            let len = pointer.len();
            pointer.push('/');
            escape_token_into(&key, pointer);
            let value = self.value(pointer, depth + 1);
            pointer.truncate(len);
            map.insert(key, value?);
        }
        for source in merged {
            let sources = match source {
                Value::Array(items) => items,
                one => vec![one],
            };
            for source in sources {
                let Value::Object(entries) = source else {
                    let mark = self.events[self.next - 1].1;
                    return fail(
                        "a merge key (`<<`) takes a mapping or a sequence of mappings",
                        &mark,
                    );
                };
                for (key, value) in entries {
                    map.entry(key).or_insert(value);
                }
            }
        }
        Ok(map)
    }
}

/// How many values a value holds (itself included).
fn count(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

/// A collection may carry its own standard tag only.
fn no_tag(tag: Option<&Tag>, allowed: &str, mark: &Marker) -> Result<(), YamlError> {
    match tag {
        None => Ok(()),
        Some(tag) if standard(tag) == Some(allowed) => Ok(()),
        Some(tag) => fail(
            format!("the tag `{}` is not supported here", shown(tag)),
            mark,
        ),
    }
}

/// A tag as it is usually written (`!!str`, `!custom`).
fn shown(tag: &Tag) -> String {
    let full = format!("{}{}", tag.handle, tag.suffix);
    match full.strip_prefix("tag:yaml.org,2002:") {
        Some(name) => format!("!!{name}"),
        None => full,
    }
}

/// `!!int` for the standard tags, however they are written.
fn standard(tag: &Tag) -> Option<&str> {
    let full = format!("{}{}", tag.handle, tag.suffix);
    let name = full
        .strip_prefix("tag:yaml.org,2002:")
        .or_else(|| full.strip_prefix("!!"))?;
    Some(match name {
        "str" => "!!str",
        "int" => "!!int",
        "float" => "!!float",
        "bool" => "!!bool",
        "null" => "!!null",
        "seq" => "!!seq",
        "map" => "!!map",
        _ => return None,
    })
}

/// A scalar by the YAML 1.2 core schema, or as its tag says.
fn scalar(
    text: &str,
    style: TScalarStyle,
    tag: Option<&Tag>,
    mark: &Marker,
) -> Result<Value, YamlError> {
    let wanted = match tag {
        None if style != TScalarStyle::Plain => return Ok(Value::String(text.to_owned())),
        None => None,
        Some(tag) => match standard(tag) {
            Some("!!str") => return Ok(Value::String(text.to_owned())),
            Some(kind @ ("!!int" | "!!float" | "!!bool" | "!!null")) => Some(kind),
            _ => {
                return fail(
                    format!(
                        "the tag `{}` is not supported (only YAML's standard scalar tags are)",
                        shown(tag)
                    ),
                    mark,
                )
            }
        },
    };
    let resolved = resolve_plain(text);
    let matches = match (wanted, &resolved) {
        (None, _) => true,
        (Some("!!null"), Value::Null) | (Some("!!bool"), Value::Bool(_)) => true,
        (Some("!!int"), Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Some("!!float"), Value::Number(_)) => true,
        _ => false,
    };
    if !matches {
        return fail(
            format!("`{text}` is not a valid {}", wanted.unwrap_or("value")),
            mark,
        );
    }
    if let (Value::String(s), None) = (&resolved, wanted) {
        if matches!(
            s.to_ascii_lowercase().as_str(),
            ".inf" | "+.inf" | "-.inf" | ".nan"
        ) {
            return fail(
                format!("`{text}` (infinity or not-a-number) has no JSON form"),
                mark,
            );
        }
    }
    Ok(resolved)
}

/// A plain scalar by the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = text.strip_prefix("0x") {
        if digits(hex, 16) {
            if let Ok(n) = u64::from_str_radix(hex, 16) {
                return Value::Number(n.into());
            }
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if digits(oct, 8) {
            if let Ok(n) = u64::from_str_radix(oct, 8) {
                return Value::Number(n.into());
            }
        }
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned, 10) {
        // As serde_json reads a JSON number: i64, else u64, else f64.
        if let Ok(n) = text.parse::<i64>() {
            return Value::Number(n.into());
        }
        if let Ok(n) = unsigned.parse::<u64>() {
            if !text.starts_with('-') {
                return Value::Number(n.into());
            }
        }
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    if is_float(unsigned) {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_owned())
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+(...)`: the core schema's float, sign aside.
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(f) => all_digits(whole) && all_digits(f) && !(whole.is_empty() && f.is_empty()),
        None => !whole.is_empty() && all_digits(whole),
    };
    let exponent_ok = match exponent {
        None => fraction.is_some(),
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
    };
    mantissa_ok && exponent_ok
}

/// A JSON value as a YAML document, for tools and tests that need the same document in both
/// forms (what [`read`] gives back for it is the value again).
pub fn to_yaml(value: &Value) -> String {
    use yaml_rust2::Yaml;
    fn convert(value: &Value) -> Yaml {
        match value {
            Value::Null => Yaml::Null,
            Value::Bool(b) => Yaml::Boolean(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Yaml::Integer(i),
                None => Yaml::Real(n.to_string()),
            },
            Value::String(s) => Yaml::String(s.clone()),
            Value::Array(items) => Yaml::Array(items.iter().map(convert).collect()),
            Value::Object(map) => Yaml::Hash(
                map.iter()
                    .map(|(k, v)| (Yaml::String(k.clone()), convert(v)))
                    .collect(),
            ),
        }
    }
    let mut out = String::new();
    let mut emitter = yaml_rust2::YamlEmitter::new(&mut out);
    // Writing to a `String` cannot fail, and every value converts.
    let _ = emitter.dump(&convert(value));
    out.push('\n');
    out
}
