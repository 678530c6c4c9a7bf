//! Webhook events from the three places documents declare them (OpenAPI 3.1 `webhooks`, 3.0
//! `callbacks`, the `x-webhooks` extension in both of its shapes): each becomes an event, told
//! apart by a property where the payloads fix one, and whatever cannot be one is warned about
//! and counted.

use codegen::ir::{BodyKind, Module, Signature, WebhookSource};
use codegen::{Config, Generated};
use std::path::{Path, PathBuf};

fn write_input(test: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("webhooks")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("api.json");
    std::fs::write(&file, text).expect("write");
    file
}

fn generate(test: &str, text: &str) -> Generated {
    Config::new(write_input(test, text))
        .generate()
        .unwrap_or_else(|f| panic!("{test}: {f}"))
}

fn messages(generated: &Generated) -> Vec<&str> {
    generated
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect()
}

fn module(generated: &Generated) -> &Module {
    &generated.ir.modules[0]
}

/// A 3.1 document: `webhooks` entries (one by `$ref` to `components/pathItems`), with headers,
/// payloads that fix `data.event_type` to a value each, and the signature scheme stated.
#[test]
fn webhooks_of_openapi_3_1_are_events_told_apart_by_their_payload() {
    let generated = generate(
        "openapi-3-1",
        r##"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "x-webhook-signature": {"scheme": "hmac-body", "header": "X-Signature", "algorithm": "sha512", "encoding": "base64", "prefix": "v1="},
  "webhooks": {
    "message.received": {"post": {
      "summary": "A message came in",
      "parameters": [
        {"name": "X-Delivery", "in": "header", "schema": {"type": "integer"}},
        {"name": "tenant", "in": "query", "schema": {"type": "string"}}
      ],
      "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Received"}}}},
      "responses": {"200": {"description": "ok"}}
    }},
    "message.failed": {"$ref": "#/components/pathItems/failed"}
  },
  "components": {
    "pathItems": {"failed": {"post": {
      "requestBody": {"content": {"application/json": {"schema": {"allOf": [
        {"$ref": "#/components/schemas/Envelope"},
        {"properties": {"data": {"properties": {"event_type": {"enum": ["failed"]}}}}}
      ]}}}},
      "responses": {"200": {"description": "ok"}}
    }}},
    "schemas": {
      "Envelope": {"type": "object", "properties": {"id": {"type": "string"}, "type": {"const": "event"}}},
      "Received": {"type": "object", "properties": {
        "type": {"const": "event"},
        "data": {"type": "object", "properties": {"event_type": {"const": "received"}, "text": {"type": "string"}}}
      }}
    }
  }
}"##,
    );
    let m = module(&generated);
    let names: Vec<&str> = m.webhooks.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["MessageFailed", "MessageReceived"]);
    // `type` is fixed by both, to the same value: it tells nothing; `data.event_type` does.
    assert_eq!(
        m.event_tag,
        Some(vec!["data".to_owned(), "event_type".to_owned()])
    );
    let tags: Vec<Option<&str>> = m.webhooks.iter().map(|w| w.tag_value.as_deref()).collect();
    assert_eq!(tags, [Some("failed"), Some("received")]);
    let received = &m.webhooks[1];
    assert_eq!(received.key, "message.received");
    assert_eq!(received.source, WebhookSource::Webhooks);
    assert_eq!(received.method, "POST");
    assert_eq!(received.doc.as_deref(), Some("A message came in"));
    assert!(matches!(
        received.body.as_ref().map(|b| &b.kind),
        Some(BodyKind::Json(_))
    ));
    let headers: Vec<&str> = received
        .headers
        .iter()
        .map(|h| h.wire_name.as_str())
        .collect();
    assert_eq!(headers, ["X-Delivery"]);
    assert_eq!(
        m.api.as_ref().and_then(|a| a.signature.clone()),
        Some(Signature::HmacBody {
            header: "X-Signature".into(),
            algorithm: "sha512".into(),
            encoding: "base64".into(),
            prefix: Some("v1=".into()),
        })
    );
    assert_eq!(
        messages(&generated),
        ["the event `message.received`'s parameter `tenant` in query is not typed"]
    );
    assert_eq!(
        generated.summary().to_string(),
        "summary: 0 operations generated, 0 left out; 2 webhooks generated, 0 left out; 0 parameters and 0 bodies left out; 0 schemas untyped; 1 warnings"
    );
    let rust = &generated.files.0["src/api.rs"];
    for expected in [
        "pub mod webhooks {",
        "let tag = event::tag(body, &[\"data\", \"event_type\"])?;",
        "Some(\"received\") => EventKind::MessageReceived,",
        "pub struct MessageReceivedHeaders {",
        "pub x_delivery: Option<i64>,",
        "crate::webhook::Algorithm::Sha512",
        "prefix: Some(\"v1=\".to_owned())",
    ] {
        assert!(rust.contains(expected), "no `{expected}` in:\n{rust}");
    }
}

/// A 3.0 document: each operation's callbacks (several URLs, several methods, a callback by
/// `$ref`), a form-encoded payload, and callbacks whose payloads fix nothing (no tag: they are
/// read by the event's kind).
#[test]
fn callbacks_of_openapi_3_0_are_events_of_the_operation_that_registers_them() {
    let generated = generate(
        "openapi-3-0",
        r##"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {"/numbers/{n}": {"post": {
    "operationId": "configureNumber",
    "parameters": [{"name": "n", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "ok"}},
    "callbacks": {
      "inbound": {"$ref": "#/components/callbacks/inbound"},
      "status": {
        "{$request.body#/statusUrl}": {
          "post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}, "responses": {"200": {"description": "ok"}}},
          "put": {"operationId": "statusReplaced", "responses": {"200": {"description": "ok"}}}
        }
      }
    }
  }}},
  "components": {"callbacks": {"inbound": {"{$request.body#/smsUrl}": {"post": {
    "operationId": "inboundSms",
    "requestBody": {"content": {
      "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"From": {"type": "string"}, "NumMedia": {"type": "integer"}}}},
      "text/plain": {}
    }},
    "responses": {"200": {"description": "ok"}}
  }}}}}
}"##,
    );
    let m = module(&generated);
    let events: Vec<(&str, &str, &WebhookSource)> = m
        .webhooks
        .iter()
        .map(|w| (w.name.as_str(), w.method.as_str(), &w.source))
        .collect();
    let callback = |url: &str| WebhookSource::Callback {
        operation: "ConfigureNumber".into(),
        url: url.into(),
    };
    assert_eq!(
        events,
        [
            ("InboundSms", "POST", &callback("{$request.body#/smsUrl}")),
            ("Status", "POST", &callback("{$request.body#/statusUrl}")),
            (
                "StatusReplaced",
                "PUT",
                &callback("{$request.body#/statusUrl}")
            ),
        ]
    );
    assert_eq!(m.event_tag, None);
    assert!(matches!(
        m.webhooks[0].body.as_ref().map(|b| &b.kind),
        Some(BodyKind::Form { .. })
    ));
    assert_eq!(m.webhooks[2].body, None);
    assert_eq!(
        messages(&generated),
        ["the event `inboundSms` is read as `application/x-www-form-urlencoded`; it may also come as `text/plain`"]
    );
    let rust = &generated.files.0["src/api.rs"];
    assert!(
        rust.contains("event::read(\"inboundSms\", body, event::form)?"),
        "{rust}"
    );
    assert!(!rust.contains("pub fn from_body"), "{rust}");
    assert!(!rust.contains("pub fn verifier"), "{rust}");
}

/// `x-webhooks` in both shapes vendors write it (entries that are path items, and entries that
/// are callbacks, URL expressions first); what cannot be an event is left out, said and counted;
/// an `x-webhook-signature` that names no scheme is a warning, not a verifier.
#[test]
fn x_webhooks_in_both_shapes_and_what_cannot_be_an_event() {
    let generated = generate(
        "x-webhooks",
        r##"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "x-webhook-signature": "pgp",
  "x-webhooks": {
    "delivery": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {"200": {"description": "ok"}}}},
    "inbound-message": {"{$request.body#/callback}": {"post": {"operationId": "inbound-message", "responses": {"200": {"description": "ok"}}}}},
    "broken": 7,
    "no-method": {"{$request.body#/url}": {"summary": "nothing to send"}}
  },
  "paths": {}
}"##,
    );
    let m = module(&generated);
    let names: Vec<(&str, &WebhookSource)> = m
        .webhooks
        .iter()
        .map(|w| (w.name.as_str(), &w.source))
        .collect();
    assert_eq!(
        names,
        [
            ("Delivery", &WebhookSource::XWebhooks),
            ("InboundMessage", &WebhookSource::XWebhooks)
        ]
    );
    assert_eq!(m.webhooks[1].key, "inbound-message");
    assert_eq!(
        messages(&generated),
        [
            "`x-webhook-signature`: scheme `pgp` is none of standard-webhooks, stripe, twilio, hmac-body",
            "the event `broken` is neither a path item nor a callback",
            "the event `no-method` declares no request (no HTTP method)",
        ]
    );
    assert_eq!(
        generated.summary().to_string(),
        "summary: 0 operations generated, 0 left out; 2 webhooks generated, 2 left out; 0 parameters and 0 bodies left out; 0 schemas untyped; 3 warnings"
    );
    // Strict mode makes each of them an error.
    let mut strict = Config::new(write_input(
        "x-webhooks-strict",
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-webhooks": {"broken": 7}}"##,
    ));
    strict.strict = true;
    let failure = strict.generate().expect_err("strict");
    assert!(
        failure
            .to_string()
            .contains("the event `broken` is neither a path item nor a callback"),
        "{failure}"
    );
}

/// Events that share a key get distinct ones (by method, then by operation), each a warning;
/// a callback's extension keys are no URLs; a `$ref` that leads nowhere costs its event; a
/// payload whose `allOf` holds itself ends; `x-webhook-signature` without events is said.
#[test]
fn shared_keys_extensions_dangling_refs_and_cycles() {
    let generated = generate(
        "shared-keys",
        r##"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "x-webhooks": {
    "ping": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Loop"}}}}, "responses": {"200": {"description": "ok"}}},
             "put": {"responses": {"200": {"description": "ok"}}}},
    "gone": {"$ref": "#/components/pathItems/missing"}
  },
  "paths": {
    "/a": {"post": {"operationId": "subscribeA", "responses": {"200": {"description": "ok"}},
      "callbacks": {"status": {"x-internal": true, "{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}}},
    "/b": {"post": {"operationId": "subscribeB", "responses": {"200": {"description": "ok"}},
      "callbacks": {"status": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}}}
  },
  "components": {"schemas": {"Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}, {"properties": {"kind": {"const": "ping"}}}]}}}
}"##,
    );
    let m = module(&generated);
    let keys: Vec<(&str, &str)> = m
        .webhooks
        .iter()
        .map(|w| (w.name.as_str(), w.key.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("PingPost", "ping post"),
            ("PingPut", "ping put"),
            ("SubscribeAStatus", "subscribeA status"),
            ("SubscribeBStatus", "subscribeB status"),
        ]
    );
    let warnings = messages(&generated);
    assert!(
        warnings.contains(&"the event `gone`'s `$ref` leads to no object"),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&"the event `ping` shares its name with another; it is `ping post`"),
        "{warnings:?}"
    );
    assert_eq!(generated.summary().webhooks_left_out, 1, "{warnings:?}");
    let rust = &generated.files.0["src/api.rs"];
    assert!(
        rust.contains("\"ping put\" => Some(EventKind::PingPut)"),
        "{rust}"
    );

    let quiet = generate(
        "signature-without-events",
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "x-webhook-signature": "stripe", "paths": {}}"##,
    );
    assert_eq!(
        messages(&quiet),
        ["`x-webhook-signature` names how webhooks are signed, and the document has none"]
    );
}

/// A form payload's `encoding` is not applied when it is read: said, not dropped silently.
#[test]
fn a_form_payloads_encoding_is_warned_about() {
    let generated = generate(
        "form-encoding",
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
  "webhooks": {"inbound": {"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
    "schema": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}},
    "encoding": {"tags": {"style": "form", "explode": false}}
  }}}, "responses": {"200": {"description": "ok"}}}}}}"##,
    );
    assert_eq!(
        messages(&generated),
        ["the event `inbound`'s form `encoding` is not applied when its payload is read"]
    );
    assert_eq!(module(&generated).webhooks.len(), 1);
}
