//! `generated/api.json` describes the crate's public API: every type and operation, by the names
//! Rust code uses, with what a reviewer of a schema change needs to see.

use std::path::Path;

fn manifest() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/api.json");
    let text = std::fs::read_to_string(&path).expect("generated/api.json");
    serde_json::from_str(&text).expect("JSON")
}

fn names(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|entry| entry["name"].as_str().expect("a name"))
        .collect()
}

#[test]
fn the_manifest_lists_every_type_and_operation_of_the_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = codegen::Config::new(root.join("schemas"))
        .generate()
        .expect("generates");
    let manifest = manifest();
    let modules = manifest["modules"].as_array().expect("modules");
    assert_eq!(modules.len(), generated.ir.modules.len());
    for (entry, module) in modules.iter().zip(&generated.ir.modules) {
        assert_eq!(entry["name"], module.name.as_str());
        let types: Vec<&str> = module.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names(&entry["types"]), types);
        let operations: Vec<&str> = module.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names(&entry["operations"]), operations);
    }
}

#[test]
fn the_manifest_shows_presence_open_enums_and_requests() {
    let manifest = manifest();
    let sakari = manifest["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .find(|m| m["name"] == "sakari")
        .expect("sakari");
    let find = |list: &str, name: &str| {
        sakari[list]
            .as_array()
            .expect("a list")
            .iter()
            .find(|t| t["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let call = find("types", "Call");
    assert_eq!(call["kind"], "struct");
    assert_eq!(call["fields"][0]["wire"], "id");
    assert_eq!(call["fields"][0]["presence"], "required");
    assert_eq!(call["fields"][1]["type"], "crate::sakari::CallDirection");
    // Each field names the property it comes from, for the change report.
    assert_eq!(
        call["fields"][0]["origin"],
        "sakari/call.json#/properties/id"
    );
    let status = find("types", "CallStatus");
    assert_eq!(status["open"], true);
    assert!(status["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .any(|v| v["value"] == "missed"));
    let list_calls = find("operations", "ListCalls");
    assert_eq!(list_calls["method"], "GET");
    let limit = list_calls["params"]
        .as_array()
        .expect("params")
        .iter()
        .find(|p| p["name"] == "limit")
        .expect("limit");
    assert_eq!(
        (limit["in"].as_str(), limit["required"].as_bool()),
        (Some("query"), Some(false))
    );
    assert_eq!(
        list_calls["responses"][0]["type"],
        "crate::sakari::CallList"
    );
}
