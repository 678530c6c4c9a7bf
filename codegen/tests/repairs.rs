//! A defect in one place of a real document costs that place, never the run: each repair with its
//! exact warning, the summary's counts, and `strict` turning every warning into an error.

use codegen::ir::{Operation, ParamLocation, TypeRef};
use codegen::{Config, Generated};
use std::path::{Path, PathBuf};

/// Writes one OpenAPI document with these `paths` and generates it, strict or not.
fn generate(
    test: &str,
    paths: &str,
    strict: bool,
) -> (PathBuf, Result<Generated, codegen::Failure>) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("repairs")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("api.json");
    let text = format!(
        "{{\n\"openapi\": \"3.1.0\",\n\"info\": {{\"title\": \"t\", \"version\": \"1\"}},\n\"components\": {{\"parameters\": {{\n  \"WorkflowId\": {{\"name\": \"workflow_id\", \"in\": \"path\", \"required\": true, \"schema\": {{\"oneOf\": [{{\"type\": \"integer\"}}, {{\"type\": \"string\"}}]}}}}\n}}}},\n\"paths\": {paths}\n}}\n"
    );
    std::fs::write(&file, text).expect("write");
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
        "summary: 3 operations generated, 0 left out; 2 parameters and 0 bodies left out; 5 warnings"
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
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("repairs")
        .join("silent");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("api.json");
    std::fs::write(
        &file,
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
        "200": {"description": "a PDF", "content": {"application/pdf": {}}},
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
    )
    .expect("write");
    let generated = Config::new(&file).generate().expect("warnings only");
    let messages: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "`allowReserved` is not supported",
            "the security requirement names `oauth`, which `components/securitySchemes` does not declare",
            "the `200` answer's body (application/pdf) is not JSON",
            "the error answers (400, 500) have different bodies",
            "`contentType` of a field's encoding is not supported",
        ]
    );
    assert_eq!(
        generated.summary().to_string(),
        "summary: 3 operations generated, 0 left out; 0 parameters and 0 bodies left out; 5 warnings"
    );
    let module = &generated.ir.modules[0];
    // The path item behind a `$ref` is followed.
    assert!(module.operations.iter().any(|o| o.id == "ping"));
    // Names that would collide with generated items are settled.
    let names: Vec<&str> = module.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(names.contains(&"Credentials2"), "{names:?}");
    let api = module.api.as_ref().expect("an API");
    let fns: Vec<&str> = api.schemes.iter().map(|s| s.fn_name.as_str()).collect();
    assert_eq!(fns, ["api_key_2", "api_key"]);
}
