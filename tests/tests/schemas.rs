//! The schema each generated type describes (cargo feature `schemars`) matches the schema it was
//! generated from: the same properties, the same `required` names, the same enum values, the same
//! number of union branches.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The source schema an origin (`sakari/contact.json#/$defs/DoubleOptIn`) names.
fn source(origin: &str) -> Value {
    let (file, pointer) = origin.split_once('#').expect("file#pointer");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value = serde_json::from_str(&text).expect("JSON");
    document
        .pointer(pointer)
        .cloned()
        .unwrap_or_else(|| panic!("{origin} is not in the schemas"))
}

fn names(schema: &Value, keyword: &str) -> BTreeSet<String> {
    match schema.get(keyword) {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn non_null(values: Option<&Value>) -> Vec<Value> {
    let items = values
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    items
        .into_iter()
        .filter(|v| !v.is_null() && v.get("type") != Some(&Value::from("null")))
        .collect()
}

#[test]
fn every_generated_type_describes_the_schema_it_came_from() {
    let all = [
        api_models::sakari::json_schemas(),
        api_models::chatwoot::json_schemas(),
        api_models::textus::json_schemas(),
        api_models::discord::json_schemas(),
    ];
    let mut checked = 0;
    for (origin, described) in all.into_iter().flatten() {
        let described = described.to_value();
        let source = source(origin);
        assert_eq!(
            names(&described, "properties"),
            names(&source, "properties"),
            "{origin}: properties"
        );
        assert_eq!(
            names(&described, "required"),
            names(&source, "required"),
            "{origin}: required"
        );
        assert_eq!(
            non_null(described.get("enum")),
            non_null(source.get("enum")),
            "{origin}: enum"
        );
        let branches = |s: &Value| non_null(s.get("oneOf").or_else(|| s.get("anyOf"))).len();
        assert_eq!(
            branches(&described),
            branches(&source),
            "{origin}: union branches"
        );
        checked += 1;
    }
    assert_eq!(checked, 119, "every type of the four vendors is compared");
}
