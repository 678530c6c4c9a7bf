//! `cargo xtask fuzz`: throws random schema documents (biased towards the keywords the generator
//! reads, hostile names and broken references; as JSON or as YAML, with YAML's traps) at the whole
//! pipeline and checks that it never panics and never emits code that does not parse. Findings are saved to `codegen/tests/fuzz/`, where a
//! regression test replays them on every `cargo test`.

use crate::workspace_root;
use serde_json::{json, Map, Value};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub const USAGE: &str = "cargo xtask fuzz [--seconds N] [--seed S]

  --seconds N        how long to run (default 60)
  --seed S           where the random sequence starts (default: from the clock); printed, so a run
                     can be repeated";

/// A small, fast, deterministic generator (xorshift64*); no dependency needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "id",
    "type",
    "Type",
    "@type",
    "self",
    "Self",
    "super",
    "r#type",
    "1st",
    "",
    "\u{0}",
    "\"]",
    "*/",
    "extra",
    "user-name",
    "user_name",
    "userName",
    "ñandú",
    "Option",
    "Result",
    "build",
    "a/b",
    "~0",
    "%25",
    "other",
    "Other",
    "None",
    "x",
    "X",
    "value",
    "data",
];

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null", "strnig",
];

const FORMATS: &[&str] = &[
    "date-time",
    "unix-time",
    "int32",
    "email",
    "uri",
    "",
    "date-time\u{0}",
];

fn text(rng: &mut Rng) -> Value {
    Value::String((*rng.pick(NAMES)).to_owned())
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => json!(rng.below(10) as i64 - 5),
        3 => json!(f64::from(rng.below(1000) as u32) / 7.0),
        4 => json!(i64::MIN),
        _ => text(rng),
    }
}

fn reference(rng: &mut Rng) -> Value {
    let targets = [
        "#",
        "#/$defs/a",
        "#/$defs/b",
        "#/properties/x",
        "#/definitions/a",
        "#/$defs/missing",
        "other.json",
        "#anchor",
        "#/$defs/a/properties/id",
        "http://localhost:1234/x.json",
        "#/%24defs/a",
        "::",
        "",
    ];
    Value::String((*rng.pick(&targets)).to_owned())
}

/// A random schema of at most `depth` levels.
fn schema(rng: &mut Rng, depth: usize) -> Value {
    if depth == 0 || rng.chance(10) {
        return match rng.below(4) {
            0 => Value::Bool(rng.chance(70)),
            1 => json!({ "$ref": reference(rng) }),
            2 => scalar(rng),
            _ => json!({ "type": *rng.pick(TYPES) }),
        };
    }
    let mut map = Map::new();
    let keywords = 1 + rng.below(5);
    for _ in 0..keywords {
        match rng.below(22) {
            0 => {
                let t = if rng.chance(20) {
                    json!([*rng.pick(TYPES), "null"])
                } else {
                    json!(*rng.pick(TYPES))
                };
                map.insert("type".into(), t);
            }
            1 | 2 => {
                let mut props = Map::new();
                for _ in 0..rng.below(5) {
                    props.insert((*rng.pick(NAMES)).to_owned(), schema(rng, depth - 1));
                }
                map.insert("properties".into(), Value::Object(props));
            }
            3 => {
                let req: Vec<Value> = (0..rng.below(4)).map(|_| text(rng)).collect();
                map.insert("required".into(), Value::Array(req));
            }
            4 => {
                let values: Vec<Value> = (0..rng.below(5)).map(|_| scalar(rng)).collect();
                map.insert("enum".into(), Value::Array(values));
            }
            5 => {
                map.insert("const".into(), scalar(rng));
            }
            6 => {
                map.insert("items".into(), schema(rng, depth - 1));
            }
            7 => {
                let extra = if rng.chance(50) {
                    Value::Bool(rng.chance(50))
                } else {
                    schema(rng, depth - 1)
                };
                map.insert("additionalProperties".into(), extra);
            }
            8..=10 => {
                let key = *rng.pick(&["oneOf", "anyOf", "allOf"]);
                let branches: Vec<Value> =
                    (0..rng.below(4)).map(|_| schema(rng, depth - 1)).collect();
                map.insert(key.into(), Value::Array(branches));
            }
            11 | 12 => {
                map.insert("$ref".into(), reference(rng));
            }
            13 => {
                let mut defs = Map::new();
                for name in ["a", "b"] {
                    if rng.chance(70) {
                        defs.insert(name.into(), schema(rng, depth - 1));
                    }
                }
                let key = if rng.chance(80) {
                    "$defs"
                } else {
                    "definitions"
                };
                map.insert(key.into(), Value::Object(defs));
            }
            14 => {
                map.insert("title".into(), text(rng));
            }
            15 => {
                map.insert(
                    "description".into(),
                    json!("*/ \"] ```rust\nfn x() {}\n``` [link] <b> https://x.y"),
                );
            }
            16 => {
                map.insert("format".into(), json!(*rng.pick(FORMATS)));
            }
            17 => {
                map.insert("nullable".into(), Value::Bool(rng.chance(50)));
            }
            18 => {
                map.insert(
                    "discriminator".into(),
                    json!({ "propertyName": text(rng), "mapping": { "a": reference(rng) } }),
                );
            }
            19 => {
                let names: Vec<Value> = (0..rng.below(4)).map(|_| text(rng)).collect();
                map.insert("x-enum-varnames".into(), Value::Array(names));
            }
            20 => {
                let key = *rng.pick(&[
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "minLength",
                    "maxLength",
                    "pattern",
                ]);
                map.insert(key.into(), scalar(rng));
            }
            _ => {
                map.insert("$anchor".into(), json!("anchor"));
            }
        }
    }
    Value::Object(map)
}

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/vnd.x+json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "application/pdf",
    "*/*",
];

const STYLES: &[&str] = &[
    "form",
    "simple",
    "deepObject",
    "spaceDelimited",
    "pipeDelimited",
    "matrix",
    "label",
];

/// `style` and `explode`, sometimes, on a parameter or a field's encoding.
fn style(rng: &mut Rng, into: &mut Map<String, Value>) {
    if rng.chance(50) {
        into.insert("style".into(), json!(*rng.pick(STYLES)));
    }
    if rng.chance(40) {
        into.insert("explode".into(), json!(rng.chance(50)));
    }
    if rng.chance(5) {
        into.insert("allowReserved".into(), json!(true));
    }
}

/// A schema that is an object, a map or an array more often than `schema` makes one: what
/// object parameters and form bodies are made of.
fn structured(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => {
            json!({"type": "object", "properties": {"a": schema(rng, 2), "b": {"type": "array", "items": schema(rng, 1)}}})
        }
        1 => json!({"type": "object", "additionalProperties": schema(rng, 1)}),
        2 => json!({"type": "array", "items": schema(rng, 2)}),
        _ => schema(rng, 3),
    }
}

/// Media types with schemas: a request body's or an answer's `content`.
fn content(rng: &mut Rng, encodings: bool) -> Value {
    let mut content = Map::new();
    for _ in 0..1 + rng.below(3) {
        let mut media = Map::new();
        if rng.chance(85) {
            media.insert("schema".into(), structured(rng));
        }
        if encodings && rng.chance(50) {
            let mut entry = Map::new();
            style(rng, &mut entry);
            if rng.chance(20) {
                entry.insert("contentType".into(), json!("image/png"));
            }
            media.insert("encoding".into(), json!({ "a": entry, "missing": {} }));
        }
        content.insert((*rng.pick(MEDIA_TYPES)).to_owned(), Value::Object(media));
    }
    Value::Object(content)
}

/// Sometimes an OpenAPI document around random schemas, so operations are fuzzed too: parameters
/// of any schema in every place and style, request bodies in every media type, several success
/// answers, and per-operation security.
fn document(rng: &mut Rng) -> Value {
    if !rng.chance(25) {
        return schema(rng, 5);
    }
    let param = |rng: &mut Rng| {
        let mut param = Map::new();
        param.insert("name".into(), text(rng));
        param.insert(
            "in".into(),
            json!(*rng.pick(&["path", "query", "query", "header", "cookie", "body"])),
        );
        param.insert("required".into(), json!(rng.chance(50)));
        if rng.chance(90) {
            let schema = if rng.chance(50) {
                structured(rng)
            } else {
                schema(rng, 2)
            };
            param.insert("schema".into(), schema);
        }
        style(rng, &mut param);
        if rng.chance(10) {
            return json!({ "$ref": *rng.pick(&["#/components/parameters/p", "#/components/parameters/missing"]) });
        }
        Value::Object(param)
    };
    let params: Vec<Value> = (0..rng.below(5)).map(|_| param(rng)).collect();
    let mut operation = Map::new();
    operation.insert("operationId".into(), text(rng));
    operation.insert("parameters".into(), Value::Array(params));
    operation.insert(
        "x-pagination".into(),
        json!({ "offset": "offset", "limit": "limit", "items": "/data", "hasNext": "/more" }),
    );
    if rng.chance(60) {
        operation.insert(
            "requestBody".into(),
            json!({ "required": rng.chance(50), "content": content(rng, true) }),
        );
    }
    if rng.chance(40) {
        let security = match rng.below(4) {
            0 => json!([]),
            1 => json!([{ "auth": [] }, {}]),
            2 => json!([{ "missing": [] }]),
            _ => json!([{ "auth": [], "key": [] }]),
        };
        operation.insert("security".into(), security);
    }
    let mut responses = Map::new();
    for _ in 0..1 + rng.below(4) {
        let status = *rng.pick(&["200", "201", "202", "204", "2XX", "2xx", "404", "default"]);
        let answer = if rng.chance(20) {
            json!({ "description": text(rng) })
        } else {
            json!({ "description": text(rng), "content": content(rng, false) })
        };
        responses.insert(status.to_owned(), answer);
    }
    operation.insert("responses".into(), Value::Object(responses));
    json!({
        "openapi": *rng.pick(&["3.0.3", "3.1.0"]),
        "info": { "title": text(rng), "version": "1" },
        "servers": [{ "url": *rng.pick(&["https://api.example.com/", "/relative", "ftp://x", "https://{region}.example.com"]) }],
        "security": [{ "auth": [] }],
        "components": {
            "securitySchemes": {
                "auth": { "type": *rng.pick(&["http", "apiKey", "oauth2", "mutualTLS"]), "scheme": *rng.pick(&["bearer", "basic", "digest"]), "in": *rng.pick(&["header", "query", "cookie"]), "name": text(rng) },
                "key": { "type": "apiKey", "in": "query", "name": text(rng) }
            },
            "parameters": { "p": param(rng) },
            "schemas": { "a": schema(rng, 3), "b": schema(rng, 3) }
        },
        "paths": {
            *rng.pick(&["/x/{id}", "/{id}/{id}", "/x", "/{}", "/x/{id}/{other}"]): {
                *rng.pick(&["get", "post", "delete", "put"]): operation
            }
        }
    })
}

/// A YAML text as it is, or with a trap added (anchors and aliases, a merge key, tags, a second
/// document, a duplicate key, deep nesting) or cut at a random place.
fn yaml_variant(rng: &mut Rng, text: String) -> String {
    const TRAPS: &[&str] = &[
        "\nx-a: &a {type: string}\nx-b: *a\n",
        "\nx-m: {<<: {type: object}, title: t}\n",
        "\nx-t: !!str 12\n",
        "\nx-u: !custom 1\n",
        "\n---\ntype: string\n",
        "\ntype: string\n",
        "\nx-d: [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]\n",
        "\n200: {}\n",
        "\nx-b: *missing\n",
    ];
    match rng.below(4) {
        0 => text,
        1 | 2 => text + *rng.pick(TRAPS),
        _ => {
            let mut cut = rng.below(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_owned()
        }
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let mut seconds = 60u64;
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--seconds", Some(v)) => seconds = v,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let root = workspace_root();
    let work = root.join("target/fuzz");
    let findings_dir = root.join("codegen/tests/fuzz");
    if let Err(e) = std::fs::create_dir_all(&work) {
        eprintln!("cannot create {}: {e}", work.display());
        return ExitCode::FAILURE;
    }
    // Panics are findings, reported by this loop rather than printed by the default hook.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let (mut runs, mut generated, mut refused, mut findings) = (0u64, 0u64, 0u64, 0u64);
    println!("fuzzing for {seconds} s from seed {seed}");
    while started.elapsed() < Duration::from_secs(seconds) {
        let input = document(&mut rng);
        // Some documents go in as YAML, some of those with one of YAML's own traps or cut short.
        let yaml = rng.chance(40);
        let file = work.join(if yaml { "input.yaml" } else { "input.json" });
        let text = if yaml {
            yaml_variant(&mut rng, codegen::source::to_yaml(&input))
        } else {
            serde_json::to_string_pretty(&input).unwrap_or_default()
        };
        if std::fs::write(&file, &text).is_err() {
            eprintln!("cannot write {}", file.display());
            return ExitCode::FAILURE;
        }
        runs += 1;
        match check(&file, rng.chance(30)) {
            Outcome::Generated => generated += 1,
            Outcome::Refused => refused += 1,
            Outcome::Finding(what) => {
                findings += 1;
                let name = format!(
                    "finding-{seed}-{runs}.{}",
                    if yaml { "yaml" } else { "json" }
                );
                let _ = std::fs::create_dir_all(&findings_dir);
                let _ = std::fs::write(findings_dir.join(&name), &text);
                println!("finding ({what}) saved as codegen/tests/fuzz/{name}");
            }
        }
    }
    let _ = std::panic::take_hook();
    println!(
        "{runs} runs in {:.0?}: {generated} generated code, {refused} refused with a diagnostic, {findings} findings",
        started.elapsed()
    );
    if findings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

enum Outcome {
    Generated,
    Refused,
    Finding(String),
}

/// Runs the whole pipeline on one input file (the output is parsed),
/// in the default or the validating mode.
fn check(file: &Path, validate: bool) -> Outcome {
    let mut config = codegen::Config::new(file);
    config.validate = validate;
    match std::panic::catch_unwind(|| config.generate()) {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Outcome::Finding(format!("panic: {message}"))
        }
        Ok(Ok(_)) => Outcome::Generated,
        Ok(Err(failure)) if failure.to_string().contains("internal error") => {
            Outcome::Finding(failure.to_string())
        }
        Ok(Err(_)) => Outcome::Refused,
    }
}
