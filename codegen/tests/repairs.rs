//! A defect in one place of a real document costs that place, never the run: each repair with its
//! exact warning, the summary's counts, and `strict` turning every warning into an error.

use codegen::ir::{Answer, Operation, ParamLocation, TypeDef, TypeKind, TypeRef};
use codegen::{Config, CrateSettings, Generated};
use std::path::{Path, PathBuf};

mod common;

/// Writes `text` as `name` into a fresh folder of its own for `test`.
/// The messages of a run's warnings, in order.
fn warning_messages(generated: &Generated) -> Vec<&str> {
    generated
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect()
}

fn write_input(test: &str, name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("repairs")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join(name);
    std::fs::write(&file, text).expect("write");
    file
}

/// Writes one OpenAPI document with these `paths` and generates it, strict or not.
fn generate(
    test: &str,
    paths: &str,
    strict: bool,
) -> (PathBuf, Result<Generated, codegen::Failure>) {
    let text = format!(
        "{{\n\"openapi\": \"3.1.0\",\n\"info\": {{\"title\": \"t\", \"version\": \"1\"}},\n\"components\": {{\"parameters\": {{\n  \"WorkflowId\": {{\"name\": \"workflow_id\", \"in\": \"path\", \"required\": true, \"schema\": {{\"oneOf\": [{{\"type\": \"integer\"}}, {{\"type\": \"string\"}}]}}}}\n}}}},\n\"paths\": {paths}\n}}\n"
    );
    let file = write_input(test, "api.json", &text);
    let mut config = Config::new(&file);
    config.strict = strict;
    (file, config.generate())
}

fn operation<'a>(generated: &'a Generated, id: &str) -> &'a Operation {
    generated.ir.modules[0]
        .operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

const MISNAMED: &str = r##"{
  "/accounts/{id}": {"get": {"operationId": "getAccount", "parameters": [
    {"name": "account_id", "in": "path", "required": true, "schema": {"type": "integer"}}
  ], "responses": {"200": {"description": "ok"}}}},
  "/things/{thing}/{part}": {"get": {"operationId": "getPart", "parameters": [
    {"name": "other", "in": "path", "required": true, "schema": {"type": "string"}},
    {"name": "another", "in": "path", "required": true, "schema": {"type": "string"}}
  ], "responses": {"200": {"description": "ok"}}}},
  "/workflows/{workflow_id}": {"parameters": [{"$ref": "#/components/parameters/WorkflowId"}],
    "get": {"operationId": "getWorkflow", "responses": {"200": {"description": "ok"}}}}
}"##;

#[test]
fn path_placeholders_without_parameters_are_repaired_with_a_warning() {
    let (file, result) = generate("placeholders", MISNAMED, false);
    let generated = result.expect("a local defect does not fail the run");
    let file = file.display();
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            format!(
                "warning: {file}:8:29 at /paths/~1accounts~1{{id}}/get: the path has `{{id}}` but no path \
                 parameter `id`; the one path parameter the path does not name, `account_id`, is taken for it\n  \
                 hint: rename the parameter or the placeholder so they match"
            ),
            format!(
                "warning: {file}:11:37 at /paths/~1things~1{{thing}}~1{{part}}/get: the path has `{{thing}}` but no \
                 path parameter `thing`\n  hint: it is taken as a required string path parameter; declare it \
                 under `parameters` with `\"in\": \"path\"`"
            ),
            format!(
                "warning: {file}:11:37 at /paths/~1things~1{{thing}}~1{{part}}/get: the path has `{{part}}` but no \
                 path parameter `part`\n  hint: it is taken as a required string path parameter; declare it \
                 under `parameters` with `\"in\": \"path\"`"
            ),
            format!(
                "warning: {file}:11:37 at /paths/~1things~1{{thing}}~1{{part}}/get: path parameter `another` is not \
                 in the path `/things/{{thing}}/{{part}}`\n  hint: requests leave this parameter out; the rest of \
                 the operation is unaffected"
            ),
            format!(
                "warning: {file}:11:37 at /paths/~1things~1{{thing}}~1{{part}}/get: path parameter `other` is not \
                 in the path `/things/{{thing}}/{{part}}`\n  hint: requests leave this parameter out; the rest of \
                 the operation is unaffected"
            ),
        ]
    );
    // The misnamed parameter keeps its name and type, and fills the placeholder.
    let get_account = operation(&generated, "getAccount");
    let p = &get_account.params[0];
    assert_eq!(
        (p.name.as_str(), p.wire_name.as_str()),
        ("account_id", "id")
    );
    assert_eq!(p.ty, TypeRef::Integer(64));
    // Missing placeholders become required string path parameters.
    let get_part = operation(&generated, "getPart");
    let placed: Vec<(&str, &TypeRef, bool)> = get_part
        .params
        .iter()
        .map(|p| {
            (
                p.wire_name.as_str(),
                &p.ty,
                p.required && p.location == ParamLocation::Path,
            )
        })
        .collect();
    assert_eq!(
        placed,
        [
            ("thing", &TypeRef::String, true),
            ("part", &TypeRef::String, true)
        ]
    );
    // A `$ref` parameter at path-item level with a union schema is typed, not dropped.
    let get_workflow = operation(&generated, "getWorkflow");
    let TypeRef::Named { name, .. } = &get_workflow.params[0].ty else {
        panic!("{:?}", get_workflow.params[0].ty)
    };
    assert_eq!(name, "GetWorkflowWorkflowId");
    assert_eq!(
        generated.summary().to_string(),
        "summary: 3 operations generated, 0 left out; 0 webhooks generated, 0 left out; 2 parameters and 0 bodies left out; 0 schemas untyped; 5 warnings"
    );
}

#[test]
fn strict_mode_turns_every_repair_into_an_error() {
    let (_, result) = generate("strict", MISNAMED, true);
    let failure = result.expect_err("strict refuses what the default mode repairs");
    assert_eq!(failure.diagnostics.len(), 5);
    assert!(failure
        .diagnostics
        .iter()
        .all(|d| d.to_string().starts_with("error: ")));
    let (_, clean) = generate(
        "strict-clean",
        r#"{"/health": {"get": {"operationId": "health", "responses": {"204": {"description": "ok"}}}}}"#,
        true,
    );
    clean.expect("a document without defects passes strict mode");
}

/// What the generator does not turn into code is warned about (and counted), never dropped
/// silently; what it can follow, it follows.
#[test]
fn what_is_not_turned_into_code_is_warned_about() {
    let file = write_input(
        "silent",
        "api.json",
        r##"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "components": {
    "securitySchemes": {
      "api_key": {"type": "apiKey", "in": "header", "name": "X-A"},
      "apiKey": {"type": "apiKey", "in": "query", "name": "key"}
    },
    "pathItems": {"Ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}},
    "schemas": {"E1": {"type": "object"}, "E2": {"type": "string"}}
  },
  "paths": {
    "/ping": {"$ref": "#/components/pathItems/Ping"},
    "/report": {"get": {
      "operationId": "credentials",
      "security": [{"oauth": []}],
      "parameters": [{"name": "q", "in": "query", "allowReserved": true, "schema": {"type": "string"}}],
      "responses": {
        "200": {"description": "a report", "content": {"application/pdf": {}, "text/csv": {}}},
        "400": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E1"}}}},
        "500": {"description": "down", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E2"}}}}
      }
    }},
    "/upload": {"post": {
      "operationId": "upload",
      "requestBody": {"content": {"multipart/form-data": {
        "encoding": {"meta": {"contentType": "application/xml"}},
        "schema": {"type": "object", "properties": {"meta": {"type": "object"}}}
      }}},
      "responses": {"204": {"description": "ok"}}
    }}
  }
}"##,
    );
    let generated = Config::new(&file).generate().expect("warnings only");
    let messages = warning_messages(&generated);
    assert_eq!(
        messages,
        [
            "`allowReserved` is not supported",
            "the security requirement names `oauth`, which `components/securitySchemes` does not declare",
            "the `200` answer is read as `text/csv`; it may also come as application/pdf",
            "`contentType` of a field's encoding is not supported",
        ]
    );
    assert_eq!(
        generated.summary().to_string(),
        "summary: 3 operations generated, 0 left out; 0 webhooks generated, 0 left out; 0 parameters and 0 bodies left out; 0 schemas untyped; 4 warnings"
    );
    let module = &generated.ir.modules[0];
    // A text answer is read as text.
    let report = module
        .operations
        .iter()
        .find(|o| o.id == "credentials")
        .expect("op");
    assert_eq!(report.single_answer(), Some(&Answer::Text));
    // Error answers with different bodies are the operation's `Error` enum, by status.
    assert_eq!(report.shared_error(), None);
    let statuses: Vec<&str> = report.errors.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(statuses, ["400", "500"]);
    // The path item behind a `$ref` is followed.
    assert!(module.operations.iter().any(|o| o.id == "ping"));
    // Names that would collide with generated items are settled.
    let names: Vec<&str> = module.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(names.contains(&"Credentials2"), "{names:?}");
    let api = module.api.as_ref().expect("an API");
    let fns: Vec<&str> = api.schemes.iter().map(|s| s.fn_name.as_str()).collect();
    assert_eq!(fns, ["api_key_2", "api_key"]);
}

/// Writes one JSON Schema document and generates it.
fn generate_schema(test: &str, schema: &str) -> (PathBuf, Result<Generated, codegen::Failure>) {
    let file = write_input(test, "schema.json", schema);
    let mut config = Config::new(&file);
    config.crate_settings = CrateSettings {
        name: test.into(),
        standalone: true,
    };
    (file, config.generate())
}

fn find<'a>(generated: &'a Generated, name: &str) -> &'a TypeDef {
    generated.ir.modules[0]
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

#[test]
fn a_ref_whose_pointer_finds_nothing_is_resolved_by_its_one_definition_of_that_name() {
    // `#/definitions/Address` where the definition lives under `$defs`; typify's test schemas do this.
    let schema = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "home": {"$ref": "#/definitions/Address"},
    "work": {"$ref": "#/$defs/Address"}
  },
  "$defs": {"Address": {"type": "object", "properties": {"street": {"type": "string"}}}}
}"##;
    let (file, result) = generate_schema("ref-by-name", schema);
    let generated = result.expect("repaired, not refused");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [format!(
            "warning: {}:5:13 at /properties/home: `$ref` \"#/definitions/Address\" points at nothing; its \
             last segment names one definition, `#/$defs/Address`, which is taken for it\n  hint: correct the \
             JSON pointer of the `$ref`",
            file.display()
        )]
    );
    let TypeKind::Struct(root) = &find(&generated, "Schema").kind else {
        panic!("the root is a struct")
    };
    let address = TypeRef::Named {
        module: "schema".into(),
        name: "Address".into(),
    };
    assert!(
        root.fields.iter().all(|f| f.ty == address),
        "{:?}",
        root.fields
    );

    // Two definitions of that name: nothing says which is meant, so it stays an error.
    let ambiguous = schema.replace(
        r#""$defs": {"#,
        r#""definitions": {"Other": {"$defs": {"Address": {"type": "string"}}}}, "$defs": {"#,
    );
    let (_, result) = generate_schema("ref-ambiguous", &ambiguous);
    let failure = result.expect_err("ambiguous");
    assert_eq!(failure.diagnostics.len(), 1);
    assert!(
        failure.diagnostics[0]
            .message
            .starts_with("dangling `$ref` \"#/definitions/Address\""),
        "{}",
        failure.diagnostics[0]
    );

    // `--strict` refuses the repair.
    let dir = file.parent().expect("dir");
    let mut config = Config::new(dir.join("schema.json"));
    config.strict = true;
    std::fs::write(dir.join("schema.json"), schema).expect("write");
    let failure = config.generate().expect_err("strict");
    assert!(failure.diagnostics[0].to_string().starts_with("error: "));
}

#[test]
fn recursion_through_arrays_maps_and_unions_generates_and_only_direct_containment_is_boxed() {
    // vega's shape: a scope holds marks, a mark may be a group, a group is a scope.
    let schema = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$ref": "#/$defs/scope",
  "$defs": {
    "scope": {"type": "object", "properties": {
      "marks": {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/markGroup"}, {"$ref": "#/$defs/markLeaf"}]}},
      "named": {"type": "object", "additionalProperties": {"$ref": "#/$defs/scope"}},
      "parent": {"$ref": "#/$defs/scope"}
    }},
    "markGroup": {"allOf": [{"$ref": "#/$defs/scope"}, {"type": "object", "required": ["type"], "properties": {"type": {"const": "group"}}}]},
    "markLeaf": {"type": "object", "required": ["type"], "properties": {"type": {"const": "rect"}}}
  }
}"##;
    let (_, result) = generate_schema("recursion", schema);
    let generated = result.expect("recursion generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let TypeKind::Struct(scope) = &find(&generated, "Scope").kind else {
        panic!("a struct")
    };
    let boxed: Vec<(&str, bool)> = scope
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.boxed))
        .collect();
    // `Vec` and `BTreeMap` already put their items on the heap: only `parent` needs a `Box`.
    assert_eq!(
        boxed,
        [("marks", false), ("named", false), ("parent", true)]
    );
    // The generated crate compiles: every type has a finite size.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("recursion-crate");
    codegen::write::write_atomically(&generated.files, &out).expect("written");
    let (built, printed) = common::cargo(&["check"], &out, &[("RUSTFLAGS", "-D warnings")]);
    assert!(built, "{printed}");
}

/// Response headers and statuses the generator cannot type as written cost only themselves, with
/// a warning each: a `responses` key that is no status, a header whose schema is no scalar, and
/// a header declared with two types (both read as text).
#[test]
fn odd_statuses_and_response_headers_are_warned_about() {
    let file = write_input(
        "answers",
        "api.json",
        r##"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {"/calls": {"get": {
    "operationId": "listCalls",
    "responses": {
      "200": {"description": "ok", "headers": {
        "X-Count": {"schema": {"type": "integer"}},
        "X-Tags": {"schema": {"type": "array", "items": {"type": "string"}}},
        "Content-Type": {"schema": {"type": "string"}}
      }},
      "404": {"description": "none", "headers": {
        "x-count": {"schema": {"type": "string"}},
        "X-Trace": {"content": {"text/plain": {}}}
      }, "links": {"retry": {"operationId": "ping"}}},
      "2X5": {"description": "a typo"},
      "4xx": {"description": "lower case"},
      "4XX": {"description": "upper case"}
    }
  }},
  "/ping": {"get": {
    "operationId": "ping",
    "responses": {"default": {"description": "any", "content": {"application/json": {"schema": {"type": "integer"}}}}}
  }}}
}"##,
    );
    let generated = Config::new(&file).generate().expect("warnings only");
    let messages = warning_messages(&generated);
    assert_eq!(
        messages,
        [
            "the header's schema is of type array, not a scalar",
            "a `Content-Type` among a response's headers is ignored, as OpenAPI says",
            "`2X5` is not a status: the answer is left out",
            "the header `x-count` is declared with another type on another answer",
            "a header described by `content` is not typed",
            "the `404` answer's `links` are not turned into code",
            "`4xx` is the status `4XX` given again: the answer is left out",
        ]
    );
    let ops = &generated.ir.modules[0].operations;
    let op = ops.iter().find(|o| o.id == "listCalls").expect("listCalls");
    let statuses: Vec<&str> = op
        .responses
        .iter()
        .chain(&op.errors)
        .map(|s| s.status.as_str())
        .collect();
    assert_eq!(statuses, ["200", "404", "4XX"]);
    // One accessor per header name whatever its case; `Content-Type` is OpenAPI's to ignore.
    let headers: Vec<(&str, &str, codegen::ir::HeaderKind)> = op
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.wire_name.as_str(), h.kind))
        .collect();
    use codegen::ir::HeaderKind::Text;
    assert_eq!(
        headers,
        [
            ("x_count", "X-Count", Text),
            ("x_tags", "X-Tags", Text),
            ("x_trace", "X-Trace", Text)
        ]
    );
    assert_eq!(op.headers[0].statuses, ["200", "404"]);
    // With no 2xx documented, `default` is what a success carries too.
    let ping = ops.iter().find(|o| o.id == "ping").expect("ping");
    assert_eq!(
        ping.single_answer(),
        Some(&Answer::Json(TypeRef::Integer(64)))
    );
}

/// Operations named like the items every operation module holds are renamed, and each security
/// alternative keeps the OAuth2 scopes it names (a token is asked for with those of the
/// alternative the credentials meet).
#[test]
fn operation_items_are_reserved_and_scopes_kept_per_alternative() {
    let file = write_input(
        "reserved",
        "api.json",
        r##"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "components": {"securitySchemes": {
    "app": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"read": "", "admin": ""}}}},
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
  }},
  "paths": {
    "/error": {"get": {
      "operationId": "error",
      "security": [{"app": ["read"]}, {"app": ["admin", "read"], "key": []}, {"key": []}],
      "responses": {"204": {"description": "ok"}}
    }},
    "/headers": {"get": {"operationId": "headers", "responses": {"204": {"description": "ok"}}}}
  }
}"##,
    );
    let generated = Config::new(&file).generate().expect("generates");
    let ops = &generated.ir.modules[0].operations;
    let names: Vec<&str> = ops.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Error2", "Headers2"]);
    assert_eq!(
        ops[0].security,
        [vec!["app"], vec!["app", "key"], vec!["key"]]
    );
    assert_eq!(
        ops[0].scopes,
        [vec!["read"], vec!["admin", "read"], Vec::<&str>::new()]
    );
}

/// A map of components that is a `$ref` to a file of them (SendGrid's layout) is read from that
/// file with a warning, an error under `--strict`; the file, reached only through references
/// into it, is no type of its own.
#[test]
fn a_components_map_by_ref_is_read_from_where_it_points() {
    let file = write_input(
        "components-by-ref",
        "api.json",
        r##"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "components": {"schemas": {"$ref": "./schemas.json"}, "securitySchemes": {"$ref": "./security.json"}},
  "security": [{"key": []}],
  "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok",
    "content": {"application/json": {"schema": {"$ref": "./schemas.json#/pet"}}}}}}}}
}"##,
    );
    let dir = file.parent().expect("dir");
    std::fs::write(
        dir.join("schemas.json"),
        r#"{"pet": {"type": "object", "properties": {"name": {"type": "string"}}}, "owner": {"type": "object", "properties": {"id": {"type": "integer"}}}}"#,
    )
    .expect("write");
    std::fs::write(
        dir.join("security.json"),
        r#"{"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}"#,
    )
    .expect("write");
    let generated = Config::new(&file).generate().expect("warnings only");
    assert_eq!(
        warning_messages(&generated),
        [
            "`components/schemas` is a `$ref` (to `./schemas.json`) where OpenAPI expects a map",
            "`components/securitySchemes` is a `$ref` (to `./security.json`) where OpenAPI expects a map",
        ]
    );
    let module = &generated.ir.modules[0];
    let names: Vec<&str> = module.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Owner", "Pet"]);
    let api = module.api.as_ref().expect("api");
    assert_eq!(api.default_scheme.as_deref(), Some("key"));
    assert_eq!(module.operations[0].security, [vec!["key".to_owned()]]);
    let mut strict = Config::new(&file);
    strict.strict = true;
    let failure = strict.generate().expect_err("strict");
    assert!(
        failure
            .to_string()
            .contains("`components/schemas` is a `$ref`"),
        "{failure}"
    );
}
