//! Example values for every operation (`lower::example`) and the usage example they make
//! (`emit::examples`): the document's values where they fit the schema, else the simplest valid
//! ones. Each class of defect `cargo xtask wire-check` found in them has its case here.

use codegen::ir::{Fill, Operation};
use codegen::Config;
use serde_json::{json, Value};
use std::path::Path;

const API: &str = r##"{"openapi": "3.1.0", "info": {"title": "shop", "version": "1"},
  "servers": [{"url": "https://api.shop.test/v1"}],
  "paths": {
    "/orders/{id}": {"post": {"operationId": "placeOrder",
      "parameters": [
        {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^ord_[a-z0-9]{4}$"}},
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 10, "maximum": 50, "multipleOf": 5}},
        {"name": "duration", "in": "query", "schema": {"$ref": "#/components/schemas/Duration"}},
        {"name": "ids", "in": "query", "schema": {"type": "array", "minItems": 2, "uniqueItems": true,
          "items": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}}},
        {"name": "note", "in": "query", "example": 42, "schema": {"type": "string", "example": "rush"}}
      ],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
      "responses": {"200": {"description": "ok"}}}}
  },
  "components": {"schemas": {
    "Duration": {"type": "integer", "oneOf": [{"title": "HOUR", "const": 60}, {"title": "DAY", "const": 1440}]},
    "Order": {"type": "object", "required": ["email", "items", "pet"],
      "properties": {
        "email": {"type": "string", "format": "email"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "id": {"type": "string", "readOnly": true},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"},
          "example": [{"sku": "a", "qty": 1}, {"sku": null, "qty": 2}]},
        "pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
          "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}},
        "parent": {"$ref": "#/components/schemas/Order"}
      }},
    "Item": {"type": "object", "required": ["sku", "qty"],
      "properties": {"sku": {"type": "string", "minLength": 3}, "qty": {"type": "integer", "exclusiveMinimum": 0}}},
    "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
    "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
  }}}"##;

/// The operation of [`API`], generated in a folder of the test's own (tests run in parallel).
fn operation(test: &str) -> (codegen::Generated, Operation) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("examples")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("shop")).expect("mkdir");
    std::fs::write(dir.join("shop/openapi.json"), API).expect("write");
    let generated = Config::new(&dir)
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    let op = generated.ir.modules[0].operations[0].clone();
    (generated, op)
}

fn param(op: &Operation, name: &str) -> Value {
    op.params
        .iter()
        .find(|p| p.wire_name == name)
        .map(|p| p.example.clone())
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

#[test]
fn parameters_get_values_their_schemas_accept() {
    let (_, op) = operation("parameters_get_values_their_schemas_accept");
    // A pattern is sampled, and the sample matches it.
    assert_eq!(param(&op, "id"), json!("ord_aaaa"));
    assert_eq!(param(&op, "since"), json!("2024-05-01T12:00:00Z"));
    // Within the bounds and a multiple of `multipleOf`.
    assert_eq!(param(&op, "limit"), json!(10));
    // An enum written as `oneOf` of `const`s: a listed value, not the type's bare sample.
    assert_eq!(param(&op, "duration"), json!(60));
    // `uniqueItems`: the items differ, and each still matches its pattern.
    assert_eq!(param(&op, "ids"), json!(["0", "1"]));
    // The parameter's own example is not a string: the schema's is taken instead.
    assert_eq!(param(&op, "note"), json!("rush"));
}

#[test]
fn bodies_hold_the_required_or_every_sendable_property() {
    let (_, op) = operation("bodies_hold_the_required_or_every_sendable_property");
    let body = op.body.as_ref().expect("body");
    let example = body.contents[0].example.as_ref().expect("example");
    // The document's `items` example holds a `null` its schema refuses: a made value instead.
    // The union's branch is told by its discriminator's mapping key.
    assert_eq!(
        example.required,
        json!({"email": "user@example.com", "items": [{"sku": "example", "qty": 1}], "pet": {"kind": "cat"}})
    );
    let all = example.all.as_object().expect("object");
    // Every property a request may send, the server's own (`readOnly`) left out; a schema that
    // holds itself ends where it comes back.
    assert_eq!(all["status"], json!("open"));
    assert_eq!(all["pet"], json!({"kind": "cat", "lives": 1}));
    assert!(!all.contains_key("id"), "{all:?}");
    assert!(!all.contains_key("parent"), "{all:?}");
}

#[test]
fn the_usage_example_builds_the_request_with_those_values() {
    let (generated, op) = operation("the_usage_example_builds_the_request_with_those_values");
    let module = &generated.ir.modules[0];
    let mut call = codegen::emit::examples::Call::new(&generated.ir);
    let build = call.build(module, &op, Fill::Required).expect("code");
    let text = build.to_string();
    assert!(text.contains(". id (\"ord_aaaa\")"), "{text}");
    assert!(
        !text.contains(". limit ("),
        "optional parameters stay out: {text}"
    );
    let all = call
        .build(module, &op, Fill::All)
        .expect("code")
        .to_string();
    // A date-time is parsed; an enum's value (here a `oneOf` of constants) is its variant.
    assert!(all.contains("duration (shop :: Duration :: Hour)"), "{all}");
    // What is no literal is read from its JSON.
    assert!(
        all.contains("body (serde_json :: from_str :: < shop :: Order > (r#\"{"),
        "{all}"
    );
    assert!(
        all.contains("\"2024-05-01T12:00:00Z\" . parse :: < support :: DateTime > ()"),
        "{all}"
    );
    assert_eq!(call.uses().collect::<Vec<_>>(), ["shop", "support"]);
    // The docs show it, run as a doc test.
    let lib = &generated.files.0["src/shop.rs"];
    assert!(
        lib.contains("/// let op = shop::PlaceOrder::builder()"),
        "{lib}"
    );
    assert!(lib.contains("/// # fn main() -> Result<(), Box<dyn std::error::Error>> {"));
}

#[test]
fn pattern_samples_match_or_are_refused() {
    use codegen::lower::example::sample_pattern;
    for pattern in [
        "^[A-Z]{2}$",
        r"^\+?[1-9]\d{1,14}$",
        "^(0|[1-9][0-9]*)$",
        "^(?:sms|mms)-[a-f0-9]{8}$",
        "^[^@]+@[^@]+$",
        r"^\d{4}-\d{2}$",
    ] {
        let sample = sample_pattern(pattern).unwrap_or_else(|| panic!("{pattern}"));
        let re = regex_lite::Regex::new(pattern).expect("pattern");
        assert!(re.is_match(&sample), "{pattern}: {sample}");
    }
    // Lookarounds are beyond the sampler: no sample rather than a wrong one.
    assert_eq!(sample_pattern("^(?=a)a$"), None);
}

/// Found by the wire check on Stripe's document: an operation's own `servers` were dropped. One
/// is kept beside the document's (the request goes there while the `Api` is at the document's
/// server); one that cannot be told from a user's choice is warned about, never dropped silently.
#[test]
fn an_operation_keeps_its_own_server_or_says_why_not() {
    let (_, op) = operation("an_operation_keeps_its_own_server_or_says_why_not");
    assert_eq!(op.server, None);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("servers");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).expect("mkdir");
    let document = |root_server: &str| {
        format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "a", "version": "1"}}, {root_server}
              "paths": {{"/files": {{"servers": [{{"url": "https://files.a.test/"}}],
                "post": {{"operationId": "upload", "responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"#
        )
    };
    std::fs::write(
        dir.join("a/openapi.json"),
        document(r#""servers": [{"url": "https://api.a.test"}],"#),
    )
    .expect("write");
    let kept = Config::new(&dir)
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(
        kept.ir.modules[0].operations[0].server.as_deref(),
        Some("https://files.a.test")
    );
    let code: String = kept.files.0["src/a.rs"].split_whitespace().collect();
    assert!(
        code.contains("constSERVER:Option<(&'staticstr,&'staticstr)>=Some((\"https://api.a.test\",\"https://files.a.test\",));"),
        "{code}"
    );
    std::fs::write(dir.join("a/openapi.json"), document("")).expect("write");
    let warned = Config::new(&dir)
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(warned.ir.modules[0].operations[0].server, None);
    let warnings: Vec<String> = warned.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("/paths/~1files/servers")
            && w.contains("the document has no absolute server of its own")),
        "{warnings:?}"
    );
}

/// Found by the wire check on Chatwoot's document: a `204` documented with a JSON body failed to
/// decode every real (empty) `204`. HTTP says a `204` has no content: it is read as none, warned.
#[test]
fn a_204_documented_with_content_is_read_as_no_content_with_a_warning() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-content");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).expect("mkdir");
    std::fs::write(
        dir.join("a/openapi.json"),
        r#"{"openapi": "3.1.0", "info": {"title": "a", "version": "1"},
          "paths": {"/things/{id}": {"patch": {"operationId": "update",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "updated", "content": {"application/json": {"schema": {"type": "object"}}}}}}}}}"#,
    )
    .expect("write");
    let generated = Config::new(&dir)
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    let op = &generated.ir.modules[0].operations[0];
    assert_eq!(op.responses[0].answer, codegen::ir::Answer::Empty);
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("the `204` answer has content, and HTTP says a `204` has none")),
        "{warnings:?}"
    );
}
