//! The change report held against reality. Each evolution is a schema before and after a change,
//! and small programs a user wrote against the crate generated from the schema before it. Each
//! program is built against both crates:
//! - a program showing a change that breaks compilation builds before and fails to build after;
//! - a program showing a change that breaks at run time builds both times, and prints something
//!   else after (a request sent differently, an answer that no longer decodes);
//! - a program touching a change the report calls additive builds both times and prints the same.
//!
//! The impacts the programs show must be exactly the impacts the report gives.

mod common;

use codegen::api_diff::{compare, Impact, Report};
use codegen::{Config, CrateSettings};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const BASE: &str = r##"{
  "openapi": "3.1.0",
  "info": {"title": "An evolving vendor", "version": "1"},
  "servers": [{"url": "https://api.example.test"}],
  "paths": {
    "/calls": {
      "get": {
        "operationId": "listCalls",
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Call"}}}}}}
      },
      "post": {
        "operationId": "createCall",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CallCreate"}}}},
        "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Call"}}}}}
      }
    }
  },
  "components": {"schemas": {
    "Call": {"type": "object", "required": ["id"], "properties": {
      "id": {"type": "string"},
      "status": {"$ref": "#/components/schemas/Status"},
      "note": {"type": "string"},
      "duration": {"type": "integer"}
    }},
    "CallCreate": {"type": "object", "required": ["to"], "properties": {
      "to": {"type": "string"},
      "note": {"type": "string"}
    }},
    "Status": {"type": "string", "enum": ["queued", "ended"]},
    "Party": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
  }}
}"##;

/// Put before every program: prints the request an operation makes (or why it is refused), and
/// the ids of the calls an answer holds (or why it does not decode).
const PRELUDE: &str = r#"
#![allow(unused_imports, dead_code)]
use api::request::Operation;
use api::vendor::*;

fn show<O: Operation>(op: Result<O, api::request::RequestError>) {
    let api = api::vendor::api().expect("the default server");
    match op.and_then(|op| op.to_request(&api)) {
        Ok(request) => {
            println!("{} {}", request.method(), request.uri());
            for (name, value) in request.headers() {
                println!("{name}: {}", value.to_str().unwrap_or("?"));
            }
            println!("{}", String::from_utf8_lossy(request.body()));
        }
        Err(e) => println!("refused: {e}"),
    }
}

fn calls(answer: &str) -> String {
    match ListCalls::decode(200, &Default::default(), answer.as_bytes()) {
        Ok(calls) => calls.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(","),
        Err(e) => format!("does not decode: {e}"),
    }
}
"#;

/// A schema change, and programs showing what it does to code written before it.
struct Evolution {
    name: &'static str,
    /// Edits `BASE` into the schema before the change (most start from `BASE` itself).
    before: fn(&mut Value),
    after: fn(&mut Value),
    /// The impact each program shows, and the program's `fn main`.
    programs: &'static [(Impact, &'static str)],
}

fn same(_: &mut Value) {}

fn call(doc: &mut Value) -> &mut Value {
    &mut doc["components"]["schemas"]["Call"]
}

fn list_calls(doc: &mut Value) -> &mut Value {
    &mut doc["paths"]["/calls"]["get"]
}

fn status_ringing(doc: &mut Value) {
    doc["components"]["schemas"]["Status"]["enum"] = json!(["queued", "ended", "ringing"]);
}

fn note_required(doc: &mut Value) {
    call(doc)["required"] = json!(["id", "note"]);
}

fn note_nullable(doc: &mut Value) {
    call(doc)["properties"]["note"] = json!({"type": ["string", "null"]});
}

fn no_note(doc: &mut Value) {
    call(doc)["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("note");
}

fn limit_in_header(doc: &mut Value) {
    list_calls(doc)["parameters"][0]["in"] = json!("header");
}

fn account_required(doc: &mut Value) {
    let params = list_calls(doc)["parameters"].as_array_mut().expect("list");
    params.push(
        json!({"name": "account", "in": "query", "required": true, "schema": {"type": "string"}}),
    );
}

fn no_create(doc: &mut Value) {
    doc["paths"]["/calls"]
        .as_object_mut()
        .expect("path item")
        .remove("post");
}

const READ_NOTE: &str = r##"fn main() {
    let call: Call = serde_json::from_str(r#"{"id": "c1", "note": "hi"}"#).expect("decodes");
    println!("{:?}", call.note.as_deref());
}"##;

const LIST_WITHOUT_NOTE: &str = r##"fn main() {
    println!("{}", calls(r#"[{"id": "c1", "status": "queued"}]"#));
}"##;

const LIST_FIVE: &str = r##"fn main() {
    show(ListCalls::builder().limit(5).build());
}"##;

const LIST_EIGHTY: &str = r##"fn main() {
    show(ListCalls::builder().limit(80).build());
}"##;

const MATCH_PARTY: &str = r##"fn main() {
    for answer in ["\"ann\"", "7"] {
        let party: Party = serde_json::from_str(answer).expect("decodes");
        let text = match party {
            Party::String(name) => name,
            Party::Integer(id) => format!("#{id}"),
        };
        println!("{text}");
    }
}"##;

const CREATE_WITH_BODY: &str = r##"fn main() {
    let body = CallCreate::new("+1555");
    show(CreateCall::builder().body(body).build());
    let noted = CallCreate { note: Some("hi".into()), ..CallCreate::new("+1556") };
    show(CreateCall::builder().body(noted).build());
}"##;

fn limit_schema(doc: &mut Value) -> &mut Value {
    &mut list_calls(doc)["parameters"][0]["schema"]
}

fn party_boolean(doc: &mut Value) {
    let branches = doc["components"]["schemas"]["Party"]["oneOf"]
        .as_array_mut()
        .expect("oneOf");
    branches.push(json!({"type": "boolean"}));
}

fn body_optional(doc: &mut Value) {
    doc["paths"]["/calls"]["post"]["requestBody"]["required"] = json!(false);
}

/// `listCalls` answers a `404` with a call and a `429` without a body (so its error is an `Error`
/// enum), and declares a response header.
fn errors_differ(doc: &mut Value) {
    let responses = &mut list_calls(doc)["responses"];
    responses["200"]["headers"] = json!({"X-Remaining": {"schema": {"type": "integer"}}});
    responses["404"] = json!({"description": "none", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Call"}}}});
    responses["429"] = json!({"description": "slow down"});
}

fn errors_differ_with_503(doc: &mut Value) {
    errors_differ(doc);
    list_calls(doc)["responses"]["503"] = json!({"description": "down"});
}

const READ_REMAINING: &str = r##"fn main() {
    let mut headers = api::request::http::HeaderMap::new();
    headers.insert("x-remaining", "3".parse().unwrap());
    let remaining: Option<i64> = list_calls::Headers::from(&headers).x_remaining;
    println!("{remaining:?}");
}"##;

/// The vendor posts call events: `callEnded`, and with `started` also `callStarted`; both
/// told apart by their `type`.
fn with_events(doc: &mut Value, started: bool) {
    let mut event = |name: &str, kind: &str| {
        let payload = json!({"type": "object", "required": ["type", "callId"], "properties": {
            "type": {"const": kind},
            "callId": {"type": "string"},
            "duration": {"type": "integer"}
        }});
        doc["components"]["schemas"][name] = payload;
        json!({"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}},
            "responses": {"204": {"description": "received"}}
        }})
    };
    let mut webhooks = json!({"callEnded": event("CallEndedEvent", "call.ended")});
    if started {
        webhooks["callStarted"] = event("CallStartedEvent", "call.started");
    }
    doc["webhooks"] = webhooks;
}

const READ_ENDED: &str = r##"fn main() {
    let headers = Default::default();
    for body in [r#"{"type": "call.ended", "callId": "c1", "duration": 3}"#, r#"{"type": "call.ended", "callId": "c2"}"#] {
        match webhooks::Event::from_body(&headers, body.as_bytes()) {
            Ok(webhooks::Event::CallEnded(e)) => println!("ended {} {:?}", e.call_id, e.duration),
            Ok(other) => println!("other {:?}", other.kind()),
            Err(e) => println!("does not decode: {e}"),
        }
    }
}"##;

const EVOLUTIONS: &[Evolution] = &[
    Evolution {
        name: "optional-field-added",
        before: same,
        after: |d| call(d)["properties"]["to"] = json!({"type": "string"}),
        programs: &[(
            Impact::Additive,
            r##"fn main() {
    println!("{}", calls(r#"[{"id": "c1", "to": "+1555", "note": "hi"}]"#));
    let call: Call = serde_json::from_str(r#"{"id": "c1", "note": "hi"}"#).expect("decodes");
    println!("{} {:?} {:?}", call.id, call.note, call.duration);
}"##,
        )],
    },
    Evolution {
        name: "field-removed",
        before: same,
        after: no_note,
        programs: &[(Impact::BreaksCompilation, READ_NOTE)],
    },
    Evolution {
        name: "optional-field-added-to-a-body",
        before: same,
        after: |d| {
            d["components"]["schemas"]["CallCreate"]["properties"]["from"] =
                json!({"type": "string"})
        },
        programs: &[(Impact::Additive, CREATE_WITH_BODY)],
    },
    Evolution {
        name: "enum-value-added",
        before: same,
        after: status_ringing,
        programs: &[(
            Impact::Additive,
            // What stays the same: the wire value and the variants the program names. (A value
            // that arrived as `Other` arrives as the new variant: the report says so.)
            r##"fn main() {
    for answer in ["queued", "ringing", "on hold"] {
        let status: Status = answer.parse().expect("open");
        let text = match &status {
            Status::Queued => "waiting",
            Status::Ended => "over",
            _ => "something else",
        };
        println!("{} {}", status.as_str(), text);
    }
}"##,
        )],
    },
    Evolution {
        name: "enum-value-removed",
        before: status_ringing,
        after: same,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    println!("{}", Status::Ringing.as_str());
}"##,
        )],
    },
    Evolution {
        name: "field-became-required",
        before: same,
        after: note_required,
        programs: &[
            (Impact::BreaksCompilation, READ_NOTE),
            (Impact::BreaksAtRunTime, LIST_WITHOUT_NOTE),
        ],
    },
    Evolution {
        name: "field-became-optional",
        before: note_required,
        after: same,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    let call: Call = serde_json::from_str(r#"{"id": "c1", "note": "hi"}"#).expect("decodes");
    println!("{}", call.note.len());
}"##,
        )],
    },
    Evolution {
        name: "field-became-nullable",
        before: same,
        after: note_nullable,
        programs: &[(Impact::BreaksCompilation, READ_NOTE)],
    },
    Evolution {
        name: "field-no-longer-nullable",
        before: note_nullable,
        after: same,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    let call: Call = serde_json::from_str(r#"{"id": "c1", "note": null}"#).expect("decodes");
    println!("{}", call.note.is_null());
}"##,
        )],
    },
    Evolution {
        name: "field-type-changed",
        before: same,
        after: |d| call(d)["properties"]["duration"] = json!({"type": "string"}),
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    let call: Call = serde_json::from_str(r#"{"id": "c1", "duration": 3}"#).expect("decodes");
    println!("{}", call.duration.unwrap_or(0) + 1);
}"##,
        )],
    },
    Evolution {
        name: "parameter-moved-to-header",
        before: same,
        after: limit_in_header,
        programs: &[(Impact::BreaksAtRunTime, LIST_FIVE)],
    },
    Evolution {
        name: "parameter-moved-to-query",
        before: limit_in_header,
        after: same,
        programs: &[(Impact::BreaksAtRunTime, LIST_FIVE)],
    },
    Evolution {
        name: "required-parameter-added",
        before: same,
        after: account_required,
        programs: &[(Impact::BreaksCompilation, LIST_FIVE)],
    },
    Evolution {
        name: "required-parameter-removed",
        before: account_required,
        after: same,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    show(ListCalls::builder().account("a1").limit(5).build());
}"##,
        )],
    },
    Evolution {
        name: "optional-parameter-added",
        before: same,
        after: |d| {
            let params = list_calls(d)["parameters"].as_array_mut().expect("list");
            params.push(json!({"name": "cursor", "in": "query", "schema": {"type": "string"}}));
        },
        programs: &[(Impact::Additive, LIST_FIVE)],
    },
    Evolution {
        name: "path-changed",
        before: same,
        after: |d| {
            let paths = d["paths"].as_object_mut().expect("paths");
            let item = paths.remove("/calls").expect("/calls");
            paths.insert("/v2/calls".into(), item);
        },
        programs: &[(Impact::BreaksAtRunTime, LIST_FIVE)],
    },
    Evolution {
        name: "operation-added",
        before: no_create,
        after: same,
        programs: &[(Impact::Additive, LIST_FIVE)],
    },
    Evolution {
        name: "operation-removed",
        before: same,
        after: no_create,
        programs: &[(Impact::BreaksCompilation, CREATE_WITH_BODY)],
    },
    Evolution {
        name: "server-changed",
        before: same,
        after: |d| d["servers"][0]["url"] = json!("https://eu.api.example.test"),
        programs: &[(Impact::BreaksAtRunTime, LIST_FIVE)],
    },
    Evolution {
        name: "server-removed",
        before: same,
        after: |d| {
            d.as_object_mut().expect("document").remove("servers");
        },
        programs: &[(Impact::BreaksCompilation, LIST_FIVE)],
    },
    Evolution {
        name: "operation-needs-credentials",
        before: same,
        after: |d| {
            d["components"]["securitySchemes"] =
                json!({"token": {"type": "http", "scheme": "bearer"}});
            list_calls(d)["security"] = json!([{"token": []}]);
        },
        programs: &[
            (Impact::BreaksAtRunTime, LIST_FIVE),
            (Impact::Additive, LIST_WITHOUT_NOTE),
        ],
    },
    Evolution {
        name: "parameter-check-tightened",
        before: same,
        after: |d| limit_schema(d)["maximum"] = json!(50),
        programs: &[(Impact::BreaksAtRunTime, LIST_EIGHTY)],
    },
    Evolution {
        name: "parameter-check-loosened",
        before: same,
        after: |d| limit_schema(d)["maximum"] = json!(500),
        programs: &[(Impact::Additive, LIST_EIGHTY)],
    },
    Evolution {
        name: "parameter-check-added",
        before: same,
        after: |d| limit_schema(d)["minimum"] = json!(10),
        programs: &[(Impact::BreaksAtRunTime, LIST_FIVE)],
    },
    Evolution {
        name: "union-variant-added",
        before: same,
        after: party_boolean,
        programs: &[(Impact::BreaksCompilation, MATCH_PARTY)],
    },
    Evolution {
        name: "union-variant-removed",
        before: party_boolean,
        after: same,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    println!("{:?}", Party::Bool(true));
}"##,
        )],
    },
    Evolution {
        name: "body-became-required",
        before: body_optional,
        after: same,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    show(CreateCall::builder().build());
}"##,
        )],
    },
    Evolution {
        name: "body-became-optional",
        before: same,
        after: body_optional,
        programs: &[(Impact::Additive, CREATE_WITH_BODY)],
    },
    Evolution {
        name: "error-answer-added",
        before: errors_differ,
        after: |d| {
            errors_differ(d);
            list_calls(d)["responses"]["500"] = json!({"description": "down"});
        },
        programs: &[(
            Impact::Additive,
            r##"fn main() {
    for status in [404u16, 429, 500] {
        let body: &[u8] = if status == 404 { br#"{"id": "c9"}"# } else { b"" };
        let text = match ListCalls::decode(status, &Default::default(), body) {
            Err(api::request::ApiError::Status { body: list_calls::Error::Status404(call), .. }) => {
                format!("404 {}", call.id)
            }
            Err(api::request::ApiError::Status { body: list_calls::Error::Status429(_), .. }) => {
                "429".to_owned()
            }
            Err(api::request::ApiError::Status { status, .. }) => format!("{status} other"),
            other => format!("{other:?}"),
        };
        println!("{text}");
    }
}"##,
        )],
    },
    Evolution {
        name: "error-answer-removed",
        before: errors_differ_with_503,
        after: errors_differ,
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    let answer = ListCalls::decode(503, &Default::default(), b"");
    let down = matches!(
        answer,
        Err(api::request::ApiError::Status { body: list_calls::Error::Status503(_), .. })
    );
    println!("{down}");
}"##,
        )],
    },
    Evolution {
        name: "response-header-declared",
        before: errors_differ,
        after: |d| {
            errors_differ(d);
            list_calls(d)["responses"]["200"]["headers"]["X-Bucket"] =
                json!({"schema": {"type": "string"}});
        },
        programs: &[(Impact::Additive, READ_REMAINING)],
    },
    Evolution {
        name: "response-header-type-changed",
        before: errors_differ,
        after: |d| {
            errors_differ(d);
            list_calls(d)["responses"]["200"]["headers"]["X-Remaining"] =
                json!({"schema": {"type": "string"}});
        },
        programs: &[(Impact::BreaksCompilation, READ_REMAINING)],
    },
    Evolution {
        name: "unrelated-schema-with-a-colliding-title-added",
        before: same,
        after: |d| {
            d["components"]["schemas"]["call_summary"] = json!({
                "title": "Call", "type": "object", "properties": {"calls": {"type": "integer"}}
            })
        },
        programs: &[(Impact::Additive, READ_NOTE)],
    },
    Evolution {
        name: "webhook-event-added",
        before: |d| with_events(d, false),
        after: |d| with_events(d, true),
        programs: &[(Impact::Additive, READ_ENDED)],
    },
    Evolution {
        name: "webhook-event-removed",
        before: |d| with_events(d, true),
        after: |d| with_events(d, false),
        programs: &[(
            Impact::BreaksCompilation,
            r##"fn main() {
    let started = webhooks::EventKind::CallStarted;
    println!("{}", started.name());
}"##,
        )],
    },
    Evolution {
        name: "webhook-payload-field-became-required",
        before: |d| with_events(d, false),
        after: |d| {
            with_events(d, false);
            d["components"]["schemas"]["CallEndedEvent"]["required"] =
                json!(["type", "callId", "duration"]);
        },
        programs: &[
            (
                Impact::BreaksCompilation,
                r##"fn main() {
    let body = br#"{"type": "call.ended", "callId": "c1", "duration": 3}"#;
    if let Ok(webhooks::Event::CallEnded(e)) = webhooks::Event::from_body(&Default::default(), body) {
        let duration: Option<i64> = e.duration;
        println!("{duration:?}");
    }
}"##,
            ),
            (
                Impact::BreaksAtRunTime,
                r##"fn main() {
    let body = br#"{"type": "call.ended", "callId": "c2"}"#;
    match webhooks::Event::from_body(&Default::default(), body) {
        Ok(event) => println!("{:?}", event.kind()),
        Err(e) => println!("does not decode: {e}"),
    }
}"##,
            ),
        ],
    },
];

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("evolutions")
}

/// Generates the crate for `doc` into a folder named after the document's text.
fn generated_crate(doc: &Value) -> (PathBuf, Value) {
    use std::hash::{Hash, Hasher};
    let text = serde_json::to_string_pretty(doc).expect("JSON");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    let dir = work_dir().join(format!("api-{:016x}", hasher.finish()));
    let out = dir.join("crate");
    let input = dir.join("schema").join("vendor.json");
    std::fs::create_dir_all(input.parent().expect("dir")).expect("mkdir");
    std::fs::write(&input, &text).expect("write");
    let mut config = Config::new(&input);
    config.crate_settings = CrateSettings {
        name: "api".into(),
        standalone: true,
    };
    let generated = config.generate().expect("generates");
    // Written only when it differs: rewriting the same files would make cargo build the crate
    // again for each program.
    if !codegen::write::diff_against(&generated.files, &out).is_empty() {
        codegen::write::write_atomically(&generated.files, &out).expect("written");
    }
    let manifest = serde_json::from_str(&generated.files.0["api.json"]).expect("manifest");
    (out, manifest)
}

/// What happened to a program built against a crate.
#[derive(Debug, PartialEq)]
enum Outcome {
    DoesNotBuild(String),
    Printed(String),
}

/// Builds every program against the crate in `api`, one binary each of one package (one cargo
/// run, which builds them on every core), and runs those that build; by label.
fn build_and_run_all(
    target: &str,
    api: &Path,
    programs: &[(String, &str)],
) -> BTreeMap<String, Outcome> {
    let crate_name = api
        .parent()
        .and_then(Path::file_name)
        .expect("a crate folder")
        .to_string_lossy();
    let dir = work_dir().join(format!("programs-{crate_name}"));
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src/bin")).expect("mkdir");
    // The binaries of all packages land in one folder: each is named after its crate too.
    let bin = |label: &str| format!("{crate_name}-{label}");
    let mut manifest = format!(
        "[package]\nname = \"programs-{crate_name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         autobins = false\n\n[dependencies]\napi = {{ path = {:?} }}\nserde_json = \"1\"\n\n\
         [workspace]\n",
        api.display().to_string()
    );
    for (label, program) in programs {
        let source = format!("src/bin/{label}.rs");
        std::fs::write(dir.join(&source), format!("{PRELUDE}\n{program}\n")).expect("write");
        manifest.push_str(&format!(
            "\n[[bin]]\nname = \"{}\"\npath = \"{source}\"\n",
            bin(label)
        ));
    }
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write");
    let (_, printed) = common::cargo_in(
        target,
        &["build", "--bins", "--keep-going", "--message-format=json"],
        &dir,
        &[],
    );
    // What cargo said of each binary: the program it built, or the errors its build gave.
    let mut built: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for message in printed
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
    {
        let target = message["target"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Some(binary) = message["executable"].as_str() {
            built.insert(target, PathBuf::from(binary));
        } else if message["message"]["level"] == "error" {
            let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
            errors.entry(target).or_default().push_str(rendered);
        }
    }
    programs
        .iter()
        .map(|(label, _)| {
            let Some(binary) = built.get(&bin(label)) else {
                let why = errors
                    .get(&bin(label))
                    .cloned()
                    .unwrap_or_else(|| printed.clone());
                return (label.clone(), Outcome::DoesNotBuild(why));
            };
            let output = std::process::Command::new(binary)
                .output()
                .expect("the program runs");
            let mut printed = String::from_utf8_lossy(&output.stdout).into_owned();
            if !output.status.success() {
                printed.push_str(&format!(
                    "exit {:?}: {}",
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            (label.clone(), Outcome::Printed(printed))
        })
        .collect()
}

/// Checks that a program, built and run against both crates, shows `impact`.
fn check_program(label: &str, impact: Impact, was: &Outcome, is: &Outcome) {
    let Outcome::Printed(was) = was else {
        panic!("{label}: the program must build against the crate before the change: {was:?}");
    };
    assert!(
        !was.contains("exit "),
        "{label}: the program must run against the crate before the change: {was}"
    );
    let own_file = format!("src/bin/{label}.rs");
    match (impact, is) {
        // The user's program fails, not the generated crate.
        (Impact::BreaksCompilation, Outcome::DoesNotBuild(why)) if why.contains(&own_file) => {}
        (Impact::BreaksAtRunTime, Outcome::Printed(is)) if is != was => {}
        (Impact::Additive, Outcome::Printed(is)) if is == was => {}
        (impact, is) => panic!(
            "{label}: the report calls this {}, but the program printed\n{was}\nbefore and, after the change:\n{is:?}",
            impact.heading()
        ),
    }
}

#[test]
fn what_the_report_calls_a_change_is_what_the_change_does_to_user_code() {
    assert!(EVOLUTIONS.len() >= 12);
    let base: Value = serde_json::from_str(BASE).expect("JSON");
    // Every program goes into the package of each crate it is built against.
    let mut packages: BTreeMap<PathBuf, Vec<(String, &str)>> = BTreeMap::new();
    let mut checks = Vec::new();
    for evolution in EVOLUTIONS {
        let (mut before, mut after) = (base.clone(), base.clone());
        (evolution.before)(&mut before);
        (evolution.after)(&mut after);
        let (before_crate, before_manifest) = generated_crate(&before);
        let (after_crate, after_manifest) = generated_crate(&after);
        let report = compare(&before_manifest, &after_manifest);
        eprintln!("{}:\n{}", evolution.name, Report(&report));
        let reported: BTreeSet<Impact> = report.iter().map(|c| c.impact).collect();
        let shown: BTreeSet<Impact> = evolution.programs.iter().map(|(i, _)| *i).collect();
        assert_eq!(
            reported, shown,
            "{}: the report's impacts are not those the programs show",
            evolution.name
        );
        for (i, (impact, program)) in evolution.programs.iter().enumerate() {
            let label = format!("{}-{i}", evolution.name);
            for api in [&before_crate, &after_crate] {
                let programs = packages.entry(api.clone()).or_default();
                programs.push((label.clone(), *program));
            }
            checks.push((label, *impact, before_crate.clone(), after_crate.clone()));
        }
    }
    // Each package starts with its own crate's build, on one core: two workers, each with a
    // target folder of its own (cargo would have one wait for the other's), take half of them.
    let packages: Vec<_> = packages.into_iter().collect();
    let outcomes: BTreeMap<PathBuf, BTreeMap<String, Outcome>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let packages = &packages;
                scope.spawn(move || {
                    let target = format!("evolution-crates-{w}");
                    packages
                        .iter()
                        .skip(w)
                        .step_by(2)
                        .map(|(api, programs)| {
                            (api.clone(), build_and_run_all(&target, api, programs))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    for (label, impact, before, after) in &checks {
        check_program(
            label,
            *impact,
            &outcomes[before][label],
            &outcomes[after][label],
        );
    }
}
