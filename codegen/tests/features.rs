//! Cargo features per group of operations: the group of each operation (first tag, else the
//! path's resource, else the module's own feature), the events' feature, and the features that
//! turn each type on (whatever reaches it, across modules; the module's own feature otherwise).

use codegen::emit::features::Gate;
use codegen::Config;
use std::collections::BTreeSet;
use std::path::Path;

const SHOP: &str = r##"{"openapi": "3.1.0", "info": {"title": "shop", "version": "1"},
  "paths": {
    "/v2/customers/{id}": {"get": {"operationId": "getCustomer",
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}}}}}},
    "/v2/customers": {"post": {"operationId": "createCustomer", "tags": ["Order Items"],
      "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}}},
      "responses": {"201": {"description": "made"}}}},
    "/v2/{anything}": {"get": {"operationId": "getAnything",
      "parameters": [{"name": "anything", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Leftover"}}}}}}}
  },
  "webhooks": {"paid": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}, "responses": {"200": {"description": "ok"}}}}},
  "components": {"schemas": {
    "Customer": {"type": "object", "properties": {"name": {"type": "string"}, "balance": {"$ref": "../common/common.json#/$defs/Money"}}},
    "Payment": {"type": "object", "properties": {"amount": {"$ref": "../common/common.json#/$defs/Money"}}},
    "Leftover": {"type": "object", "properties": {"note": {"type": "string"}}},
    "Orphan": {"type": "object", "properties": {"note": {"type": "integer"}}}
  }}}"##;

const COMMON: &str = r##"{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": {"Money": {"type": "object", "properties": {"amount": {"type": "integer"}}},
            "Unused": {"type": "object", "properties": {"x": {"type": "string"}}}}}"##;

fn set(features: &[&str]) -> Gate {
    Gate::new(
        features
            .iter()
            .map(|f| (*f).to_owned())
            .collect::<BTreeSet<_>>(),
    )
}

#[test]
fn operations_group_by_tag_then_resource_and_types_follow_what_reaches_them() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("features");
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in [("shop/openapi.json", SHOP), ("common/common.json", COMMON)] {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let generated = Config::new(&dir)
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    let layout = codegen::emit::features::layout(&generated.ir);
    let module = |name: &str| {
        let m = generated
            .ir
            .modules
            .iter()
            .position(|m| m.name == name)
            .expect("module");
        (&generated.ir.modules[m], &layout.modules[m])
    };
    let (shop, shop_features) = module("shop");
    let by_op: Vec<(&str, &str)> = shop
        .operations
        .iter()
        .zip(&shop_features.operations)
        .map(|(op, f)| (op.id.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        by_op,
        [
            ("createCustomer", "shop-order-items"),
            ("getAnything", "shop"),
            ("getCustomer", "shop-customers"),
        ]
    );
    assert_eq!(shop_features.webhooks.as_deref(), Some("shop-webhooks"));
    let groups: Vec<&str> = shop_features.groups.keys().map(String::as_str).collect();
    assert_eq!(
        groups,
        ["shop-customers", "shop-order-items", "shop-webhooks"]
    );
    let gate = |(m, f): (&codegen::ir::Module, &codegen::emit::features::ModuleLayout),
                ty: &str| {
        let t = m.types.iter().position(|t| t.name == ty).expect("type");
        f.types[t].clone()
    };
    assert_eq!(
        gate(module("shop"), "Customer"),
        set(&["shop-customers", "shop-order-items"])
    );
    assert_eq!(gate(module("shop"), "Payment"), set(&["shop-webhooks"]));
    assert_eq!(gate(module("shop"), "Leftover"), set(&["shop"]));
    assert_eq!(gate(module("shop"), "Orphan"), set(&["shop"]));
    // Reached from another module: on with whatever reaches it there.
    // Reached from every group of `shop`: the one internal feature they all turn on stands for
    // them.
    assert_eq!(gate(module("common"), "Money"), set(&["_shop-any-group"]));
    assert_eq!(gate(module("common"), "Unused"), set(&["common"]));
    assert_eq!(
        module("common").1.module,
        set(&["_shop-any-group", "common"])
    );
    assert_eq!(shop_features.any_group.as_deref(), Some("_shop-any-group"));
    assert_eq!(module("common").1.any_group, None);

    // The manifest: the module's feature turns its groups on; each group is a feature of its own.
    let manifest = &generated.files.0["Cargo.toml"];
    assert!(
        manifest.contains("shop = [\"shop-customers\", \"shop-order-items\", \"shop-webhooks\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("# 1 event.\nshop-webhooks = [\"_shop-any-group\"]\n"),
        "{manifest}"
    );
    assert!(manifest.contains("\n_shop-any-group = []\n"), "{manifest}");
    let money = &generated.files.0["src/common.rs"];
    assert!(
        money.contains("#[cfg(feature = \"_shop-any-group\")]\n#[derive(Debug, Clone, PartialEq, Default)]\npub struct Money"),
        "{money}"
    );
    let api: serde_json::Value =
        serde_json::from_str(&generated.files.0["api.json"]).expect("JSON");
    let shop_api = api["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .find(|m| m["name"] == "shop")
        .expect("shop");
    assert_eq!(shop_api["operations"][0]["feature"], "shop-order-items");
    assert_eq!(shop_api["webhooks_feature"], "shop-webhooks");
}

/// An error answer does not compile another group's resource: its optional property naming one
/// is a field only with a feature that compiles the resource (else an unknown property, kept),
/// while the error's own details, and what a struct refusing unknown properties names, stay
/// fields.
#[test]
fn an_error_answer_reaches_its_own_details_but_not_other_groups_resources() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features/billing.json");
    let generated = Config::new(&spec)
        .generate()
        .unwrap_or_else(|f| panic!("{f}"));
    let layout = codegen::emit::features::layout(&generated.ir);
    let (module, features) = (&generated.ir.modules[0], &layout.modules[0]);
    let at = |ty: &str| {
        module
            .types
            .iter()
            .position(|t| t.name == ty)
            .expect("type")
    };
    let both = set(&["billing-intents", "billing-prices"]);
    // `listPrices` and `getIntent` answer errors with `Error`; `Intent` is `getIntent`'s answer.
    assert_eq!(features.types[at("Error")], both);
    assert_eq!(features.types[at("ApiError")], both);
    assert_eq!(features.types[at("ErrorDetail")], both);
    assert_eq!(features.types[at("Intent")], set(&["billing-intents"]));
    assert_eq!(
        features.types[at("Price")],
        set(&["billing-prices", "billing-refunds"])
    );
    let field = |ty: &str, name: &str| {
        let t = at(ty);
        let codegen::ir::TypeKind::Struct(s) = &module.types[t].kind else {
            panic!("{ty} is a struct");
        };
        let f = s.fields.iter().position(|f| f.name == name).expect("field");
        features.fields.get(&(t, f)).cloned()
    };
    assert_eq!(field("ApiError", "intent"), Some(set(&["billing-intents"])));
    assert_eq!(field("ApiError", "detail"), None);
    assert_eq!(field("ApiError", "type_"), None);
    assert_eq!(field("StrictError", "price"), None);
    assert_eq!(features.fields.len(), 1);

    let source = &generated.files.0["src/billing.rs"];
    for expected in [
        "(which compiles its type); otherwise the property is kept in `extra` as received.\n    #[cfg(feature = \"billing-intents\")]\n    pub intent: Option<Box<Intent>>,",
        "[extra \"message\" \"detail\" #[cfg(feature = \"billing-intents\")] \"intent\"];",
        "    #[cfg(feature = \"billing-intents\")] 3 intent \"intent\" lenient [extra] Box<Intent>;",
        "    #[cfg(feature = \"billing-intents\")] \"intent\" Intent;",
    ] {
        assert!(source.contains(expected), "{expected}\n\n{source}");
    }
    let api: serde_json::Value =
        serde_json::from_str(&generated.files.0["api.json"]).expect("JSON");
    let api_error = api["modules"][0]["types"]
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["name"] == "ApiError")
        .expect("ApiError");
    let intent = api_error["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "intent")
        .expect("intent");
    assert_eq!(intent["features"], serde_json::json!(["billing-intents"]));
}
