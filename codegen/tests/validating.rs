//! The validating mode on a small schema: the generated crate is built and its types are run against
//! values the schema accepts and refuses (the JSON Schema Test Suite run is `cargo xtask conformance`).

mod common;

use codegen::{Config, CrateSettings};
use std::path::Path;

const CHECKS: &str = r##"
use validating::order::Order;

fn accepts(json: &str) -> bool {
    let parsed = serde_json::from_str::<Order>(json);
    if let Err(e) = &parsed {
        eprintln!("refused {json}: {e}");
    }
    if let Ok(order) = &parsed {
        let written = serde_json::to_value(order).expect("serialises");
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(json).expect("JSON"), "{json}");
    }
    parsed.is_ok()
}

#[test]
fn the_schema_is_enforced_while_reading() {
    assert!(accepts(r#"{"id": "ord_1", "kind": "retail"}"#));
    assert!(accepts(r#"{"id": "ord_1", "kind": "retail", "quantity": 100, "version": 2.0, "pair": ["a", 1],
        "payment": "ab", "labels": {"x-a": "s", "n": 1}}"#));
    assert!(!accepts(r#"{"id": "order-1", "kind": "retail"}"#), "pattern");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "other"}"#), "enum is closed");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "quantity": 0}"#), "minimum");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "version": 3}"#), "const");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "pair": [1, "a"]}"#), "prefixItems");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "pair": ["a", 1, 2]}"#), "items: false");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "payment": "abc"}"#), "oneOf matches twice");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "labels": {"x-a": 1}}"#), "patternProperties");
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "labels": {"n": "s"}}"#), "additionalProperties");
    assert!(!accepts(r#"{"kind": "retail"}"#), "required");
    // The default mode reads this `null` as absent (vendors forget `nullable`); this mode refuses it.
    assert!(!accepts(r#"{"id": "ord_1", "kind": "retail", "quantity": null}"#), "null is not allowed");
}
"##;

#[test]
fn validating_mode_refuses_what_the_schema_refuses() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validating/order.json");
    let mut config = Config::new(&input);
    config.validate = true;
    config.crate_settings = CrateSettings {
        name: "validating".into(),
        standalone: true,
    };
    let generated = config.generate().unwrap_or_else(|f| panic!("{f}"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("validating-crate");
    codegen::write::write_atomically(&generated.files, &out).expect("written");
    std::fs::create_dir_all(out.join("tests")).expect("tests folder");
    std::fs::write(out.join("tests/checks.rs"), CHECKS).expect("checks written");
    let (passed, printed) = common::cargo(&["test"], &out, &[]);
    assert!(passed, "{printed}");
}
