//! The change report: schema evolutions, each generated before and after, and what the report
//! calls each difference.

use codegen::api_diff::{compare, Impact, Report};
use codegen::Config;
use std::path::Path;

const BEFORE: &str = r##"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/calls": {"get": {
      "operationId": "listCalls",
      "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Call"}}}}}
    }}
  },
  "components": {"schemas": {
    "Call": {"type": "object", "required": ["id"], "properties": {
      "id": {"type": "string"},
      "status": {"$ref": "#/components/schemas/Status"},
      "note": {"type": "string"},
      "duration": {"type": "integer"}
    }},
    "Status": {"type": "string", "enum": ["queued", "ended"]}
  }}
}"##;

/// The changes from `BEFORE` to `BEFORE` edited by `edit`, as (impact, message) pairs.
fn changes(test: &str, edit: impl Fn(&mut serde_json::Value)) -> Vec<(Impact, String)> {
    located_changes(test, edit)
        .into_iter()
        .map(|(impact, message, _)| (impact, message))
        .collect()
}

/// The same, with the origin each change names.
fn located_changes(
    test: &str,
    edit: impl Fn(&mut serde_json::Value),
) -> Vec<(Impact, String, String)> {
    located_changes_from(test, |_| {}, edit)
}

/// The changes from `BEFORE` edited by `base` to that edited by `edit` as well.
fn located_changes_from(
    test: &str,
    base: impl Fn(&mut serde_json::Value),
    edit: impl Fn(&mut serde_json::Value),
) -> Vec<(Impact, String, String)> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("api-diff")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let manifest = |doc: &serde_json::Value, name: &str| {
        let file = dir.join(name).join("api.json");
        std::fs::create_dir_all(file.parent().expect("dir")).expect("mkdir");
        std::fs::write(&file, doc.to_string()).expect("write");
        let generated = Config::new(&file).generate().expect("generates");
        serde_json::from_str::<serde_json::Value>(&generated.files.0["api.json"]).expect("JSON")
    };
    let mut before: serde_json::Value = serde_json::from_str(BEFORE).expect("JSON");
    base(&mut before);
    let mut after = before.clone();
    edit(&mut after);
    let found = compare(&manifest(&before, "before"), &manifest(&after, "after"));
    eprintln!("{}", Report(&found));
    found
        .into_iter()
        .map(|c| (c.impact, c.message, c.origin))
        .collect()
}

fn params(doc: &mut serde_json::Value) -> &mut serde_json::Value {
    &mut doc["paths"]["/calls"]["get"]["parameters"]
}

fn call(doc: &mut serde_json::Value) -> &mut serde_json::Value {
    &mut doc["components"]["schemas"]["Call"]
}

#[test]
fn each_kind_of_change_is_classified_as_a_reviewer_would() {
    use Impact::*;
    assert_eq!(changes("same", |_| {}), []);
    // A tag moves the operation from its resource's group to the tag's.
    assert_eq!(
        changes("new-group", |d| d["paths"]["/calls"]["get"]["tags"] =
            serde_json::json!(["Call history"])),
        [(BreaksCompilation, "`ListCalls` moved to another cargo feature: api-calls → api-call-history (code built with only the old one's features no longer has it)".to_owned())]
    );
    assert_eq!(
        changes("optional-field", |d| call(d)["properties"]["to"] =
            serde_json::json!({"type": "string"})),
        [(Additive, "optional field `Call.to` added".to_owned())]
    );
    assert_eq!(
        changes("new-enum-value", |d| d["components"]["schemas"]["Status"]["enum"] = serde_json::json!(["queued", "ended", "missed"])),
        [(Additive, "enum value `Status::Missed` (\"missed\") added (the enum is open and non-exhaustive: matches keep compiling; the value, which arrived as `Other`, arrives as `Status::Missed`)".to_owned())]
    );
    assert_eq!(
        changes("removed-enum-value", |d| d["components"]["schemas"]
            ["Status"]["enum"] =
            serde_json::json!(["queued"])),
        [(
            BreaksCompilation,
            "enum value `Status::Ended` (\"ended\") removed".to_owned()
        )]
    );
    assert_eq!(
        changes("required-field", |d| call(d)["required"] =
            serde_json::json!(["id", "note"])),
        [
            (
                BreaksCompilation,
                "field `Call.note` changed presence: optional → required".to_owned()
            ),
            (
                BreaksAtRunTime,
                "`Call.note` became required: answers without it no longer decode".to_owned()
            ),
        ]
    );
    assert_eq!(
        changes("nullable", |d| call(d)["properties"]["note"] =
            serde_json::json!({"type": ["string", "null"]})),
        [(
            BreaksCompilation,
            "field `Call.note` changed presence: optional → optional, nullable".to_owned()
        )]
    );
    assert_eq!(
        changes("field-type", |d| call(d)["properties"]["duration"] =
            serde_json::json!({"type": "string"})),
        [(
            BreaksCompilation,
            "field `Call.duration` changed type: i64 → String".to_owned()
        )]
    );
    assert_eq!(
        changes("removed-field", |d| {
            call(d)["properties"]
                .as_object_mut()
                .expect("map")
                .remove("note");
        }),
        [(BreaksCompilation, "field `Call.note` removed".to_owned())]
    );

    assert_eq!(
        changes("header", |d| params(d)[0]["in"] =
            serde_json::json!("header")),
        [(
            BreaksAtRunTime,
            "parameter `ListCalls.limit` is now sent as `limit` in the header".to_owned()
        )]
    );
    assert_eq!(
        changes("required-param", |d| {
            params(d)
            .as_array_mut()
            .expect("list")
            .push(serde_json::json!({"name": "account", "in": "query", "required": true, "schema": {"type": "string"}}))
        }),
        [(
            BreaksCompilation,
            "required parameter `ListCalls.account` added: `.build()` needs it".to_owned()
        )]
    );
    assert_eq!(
        changes(
            "new-operation",
            |d| d["paths"]["/health"] = serde_json::json!({"get": {"operationId": "health", "responses": {"204": {"description": "ok"}}}})
        ),
        [(Additive, "operation `Health` added".to_owned())]
    );
    assert_eq!(
        changes("removed-type", |d| {
            let schemas = d["components"]["schemas"].as_object_mut().expect("map");
            schemas.insert(
                "Extra".into(),
                serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            );
        })
        .into_iter()
        .map(|(i, _)| i)
        .collect::<Vec<_>>(),
        [Additive]
    );
}

#[test]
fn each_change_names_the_file_and_pointer_it_comes_from() {
    use Impact::*;
    assert_eq!(
        located_changes("field-origin", |d| call(d)["properties"]["duration"] =
            serde_json::json!({"type": "string"})),
        [(
            BreaksCompilation,
            "field `Call.duration` changed type: i64 → String".to_owned(),
            "api.json#/components/schemas/Call/properties/duration".to_owned()
        )]
    );
    assert_eq!(
        located_changes("server-origin", |d| d["servers"] =
            serde_json::json!([{"url": "https://api.example.test"}])),
        [(
            BreaksCompilation,
            "`api()` no longer takes a base URL: it uses the default server https://api.example.test"
                .to_owned(),
            "api.json#/servers".to_owned()
        )]
    );
    assert_eq!(
        located_changes("check-origin", |d| params(d)[0]["schema"]["maximum"] =
            serde_json::json!(100)),
        [(
            BreaksAtRunTime,
            "parameter `ListCalls.limit`: maximum none → 100: `.build()` refuses values it accepted"
                .to_owned(),
            "GET /calls".to_owned()
        )]
    );
}

fn answers(doc: &mut serde_json::Value) -> &mut serde_json::Value {
    &mut doc["paths"]["/calls"]["get"]["responses"]
}

/// `BEFORE` with error answers that differ (a `429` without a body, a `404` with one) and a
/// declared response header: `listCalls` has an `Error` enum and `Headers`.
fn with_errors(doc: &mut serde_json::Value) {
    let responses = answers(doc);
    responses["200"]["headers"] =
        serde_json::json!({"X-RateLimit-Remaining": {"schema": {"type": "integer"}}});
    responses["404"] = serde_json::json!({"description": "none", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Call"}}}});
    responses["429"] = serde_json::json!({"description": "slow down"});
}

#[test]
fn error_answers_and_declared_headers_are_classified() {
    use Impact::*;
    assert_eq!(
        changes("errors-become-an-enum", with_errors),
        [
            (
                BreaksCompilation,
                "`ListCalls` changed its error".to_owned()
            ),
            (
                Additive,
                "response header `ListCalls` `X-RateLimit-Remaining` (i64) declared".to_owned()
            ),
        ]
    );
    // From there on.
    let against_errors = |test: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        located_changes_from(test, with_errors, edit)
            .into_iter()
            .map(|(impact, message, _)| (impact, message))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        against_errors("error-added", &|d| answers(d)["500"] =
            serde_json::json!({"description": "down", "content": {"text/plain": {}}})),
        [(Additive, "error answer `ListCalls` `500` (String) added (the `Error` enum is non-exhaustive: matches keep compiling; the answer, which arrived as `Other` or a range, arrives as its own variant)".to_owned())]
    );
    assert_eq!(
        against_errors(
            "error-body-changed",
            &|d| answers(d)["429"] =
                serde_json::json!({"description": "slow", "content": {"text/plain": {}}})
        ),
        [(
            BreaksCompilation,
            "error answer `ListCalls` `429` changed its body: Vec<u8> → String".to_owned()
        )]
    );
    assert_eq!(
        against_errors("error-removed", &|d| {
            answers(d).as_object_mut().expect("map").remove("404");
            answers(d)["500"] =
                serde_json::json!({"description": "down", "content": {"text/plain": {}}});
        }),
        [
            (
                BreaksCompilation,
                "error answer `ListCalls` `404` removed (its `Error` variant is gone)".to_owned()
            ),
            (Additive, "error answer `ListCalls` `500` (String) added (the `Error` enum is non-exhaustive: matches keep compiling; the answer, which arrived as `Other` or a range, arrives as its own variant)".to_owned()),
        ]
    );
    // `default` covers every other status: the `Other` variant goes.
    assert_eq!(
        against_errors("default-added", &|d| answers(d)["default"] =
            serde_json::json!({"description": "any", "content": {"text/plain": {}}})),
        [
            (
                BreaksCompilation,
                "error answer `ListCalls` `Other` removed (its `Error` variant is gone)".to_owned()
            ),
            (Additive, "error answer `ListCalls` `default` (String) added (the `Error` enum is non-exhaustive: matches keep compiling; the answer, which arrived as `Other` or a range, arrives as its own variant)".to_owned()),
        ]
    );
    assert_eq!(
        against_errors("header-type", &|d| answers(d)["200"]["headers"]
            ["X-RateLimit-Remaining"] =
            serde_json::json!({"schema": {"type": "string"}})),
        [(
            BreaksCompilation,
            "response header `ListCalls` `X-RateLimit-Remaining` changed its type: i64 → String"
                .to_owned()
        )]
    );
    assert_eq!(
        against_errors("header-removed", &|d| {
            answers(d)["200"]
                .as_object_mut()
                .expect("map")
                .remove("headers");
        }),
        [(
            BreaksCompilation,
            "response header `ListCalls` `X-RateLimit-Remaining` removed".to_owned()
        )]
    );
}

/// A field of an error answer that comes to name another group's resource compiles only with that
/// group: code built with the error's other groups alone no longer has it.
#[test]
fn a_field_that_comes_to_need_another_groups_feature_breaks_compilation() {
    use Impact::*;
    let failing = |d: &mut serde_json::Value| {
        d["components"]["schemas"]["Failure"] = serde_json::json!({"type": "object",
            "required": ["code"], "properties": {"code": {"type": "string"},
            "call": {"$ref": "#/components/schemas/Call"}}});
        answers(d)["default"] = serde_json::json!({"description": "failed",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}});
    };
    let found = located_changes_from("field-narrowed", failing, |d| {
        d["paths"]["/texts"] = serde_json::json!({"get": {"operationId": "listTexts",
            "responses": {"200": {"description": "ok"},
                "default": {"description": "failed", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Failure"}}}}}}});
    });
    let messages: Vec<(Impact, &str)> = found.iter().map(|(i, m, _)| (*i, m.as_str())).collect();
    assert!(
        messages.contains(&(
            BreaksCompilation,
            "field `Failure.call` now compiles only with feature `api-calls` on (code built without them no longer has it; the property is kept in the unknown ones)"
        )),
        "{messages:?}"
    );
    // Back again: the field compiles wherever its struct does, which breaks nothing.
    let found = located_changes_from(
        "field-widened",
        |d| {
            failing(d);
            d["paths"]["/texts"] = serde_json::json!({"get": {"operationId": "listTexts",
                "responses": {"200": {"description": "ok"},
                    "default": {"description": "failed", "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/Failure"}}}}}}});
        },
        |d| {
            d["paths"]["/texts"]["get"]["responses"]["default"] =
                serde_json::json!({"description": "failed"});
        },
    );
    assert!(
        !found.iter().any(|(_, m, _)| m.contains("Failure.call")),
        "{found:?}"
    );
}
