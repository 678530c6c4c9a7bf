//! YAML documents in: the same crate as from the same document in JSON, the same diagnostics (file,
//! line:column, JSON pointer), and one test for each of YAML's traps with its exact message.

use codegen::source::to_yaml;
use codegen::{Config, Generated};
use std::path::{Path, PathBuf};

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("yaml")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Generates one YAML text written as `api.yaml`.
fn generate(test: &str, yaml: &str) -> (PathBuf, Result<Generated, codegen::Failure>) {
    let file = scratch(test).join("api.yaml");
    std::fs::write(&file, yaml).expect("write");
    let result = Config::new(&file).generate();
    (file, result)
}

/// The first error's text, without the file name.
fn error(test: &str, yaml: &str) -> String {
    let (file, result) = generate(test, yaml);
    let failure = result.expect_err("refused");
    let text = failure.diagnostics[0].to_string();
    text.replace(&file.display().to_string(), "api.yaml")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Every shipped vendor's `openapi.json` as YAML (referring to JSON schema files), and one schema
/// file as YAML (referred to from JSON files): the crate is byte for byte the one the JSON gives,
/// but for the file names its docs cite.
#[test]
fn the_shipped_documents_as_yaml_generate_the_same_crate() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let copy = scratch("shipped").join("schemas");
    copy_dir(&schemas, &copy);
    for vendor in ["sakari", "chatwoot", "textus", "discord"] {
        let json = copy.join(vendor).join("openapi.json");
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("JSON");
        std::fs::write(copy.join(vendor).join("openapi.yaml"), to_yaml(&value)).expect("write");
        std::fs::remove_file(&json).expect("remove");
    }
    // `stamp.json` becomes `stamp.yaml`; the JSON files that refer to it are pointed there.
    let sakari = copy.join("sakari");
    let stamp = sakari.join("stamp.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&stamp).expect("read")).expect("JSON");
    std::fs::write(sakari.join("stamp.yaml"), to_yaml(&value)).expect("write");
    std::fs::remove_file(&stamp).expect("remove");
    let mut referring = 0;
    for entry in std::fs::read_dir(&sakari).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            continue; // `pages/`
        }
        let text = std::fs::read_to_string(&path).expect("read");
        if text.contains("stamp.json") {
            referring += 1;
            std::fs::write(&path, text.replace("stamp.json", "stamp.yaml")).expect("write");
        }
    }
    assert!(referring > 0, "some file refers to stamp.json");

    let from_json = Config::new(&schemas).generate().expect("JSON generates");
    let from_yaml = Config::new(&copy).generate().expect("YAML generates");
    assert_eq!(
        from_json.files.0.keys().collect::<Vec<_>>(),
        from_yaml.files.0.keys().collect::<Vec<_>>()
    );
    for (path, json_text) in &from_json.files.0 {
        let yaml_text = from_yaml.files.0[path]
            .replace("openapi.yaml", "openapi.json")
            .replace("stamp.yaml", "stamp.json");
        assert!(
            yaml_text == *json_text,
            "{path} differs between the YAML and the JSON documents"
        );
    }
    assert_eq!(
        from_json.summary().to_string(),
        from_yaml.summary().to_string()
    );
}

#[test]
fn a_defect_in_yaml_is_reported_with_file_line_column_and_pointer() {
    let yaml = "\
$schema: https://json-schema.org/draft/2020-12/schema
type: object
properties:
  name:
    type: strnig
";
    assert_eq!(
        error("positions", yaml),
        "error: api.yaml:5:11 at /properties/name/type: unknown type `strnig`\n  hint: expected one \
         of string, integer, number, boolean, array, object, null"
    );
    assert_eq!(
        error("malformed", "type: object\nproperties: [a, b\n"),
        "error: api.yaml:3:1 at (document root): malformed YAML: while parsing a flow sequence, expected ',' or ']'\n  \
         hint: the file must be one YAML document (JSON Schema or OpenAPI)"
    );
}

const OPENAPI: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        200:
          description: the thing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Base: &base
      type: object
      required: [id]
      properties:
        id: {type: string}
    Thing:
      <<: *base
      properties:
        id: {type: string}
        label: {type: string}
    Copy: *base
";

#[test]
fn integer_keys_anchors_aliases_and_merge_keys_read_as_written() {
    let (_, result) = generate("traps-ok", OPENAPI);
    let generated = result.expect("generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let module = &generated.ir.modules[0];
    // `200:` is an integer in YAML; as a JSON key it is the text `200`.
    let op = &module.operations[0];
    assert_eq!(op.responses[0].status, "200");
    let thing = module
        .types
        .iter()
        .find(|t| t.name == "Thing")
        .expect("Thing");
    let codegen::ir::TypeKind::Struct(thing) = &thing.kind else {
        panic!("a struct")
    };
    // The merge key brought `required` and `type`; the mapping's own `properties` won.
    let fields: Vec<(&str, bool)> = thing
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("id", true), ("label", false)]);
    // The alias is the anchored schema.
    assert!(module.types.iter().any(|t| t.name == "Copy"));
}

#[test]
fn yaml_traps_get_clear_errors() {
    let cases = [
        (
            "duplicate",
            "type: object\nproperties: {}\ntype: string\n",
            "error: api.yaml:3:1 at (document root): malformed YAML: duplicate key `type` (first at 1:1)",
        ),
        (
            "documents",
            "type: object\n---\ntype: string\n",
            "error: api.yaml:2:1 at (document root): malformed YAML: the file holds more than one YAML document (`---`); one is expected",
        ),
        (
            "empty",
            "# nothing but a comment\n",
            "error: api.yaml:2:1 at (document root): malformed YAML: the file holds no YAML document",
        ),
        (
            "tag",
            "type: object\nproperties:\n  when: !timestamp {type: string}\n",
            "error: api.yaml:3:20 at (document root): malformed YAML: the tag `!timestamp` is not supported here",
        ),
        (
            "scalar-tag",
            "type: object\nmaxProperties: !!int many\n",
            "error: api.yaml:2:22 at (document root): malformed YAML: `many` is not a valid !!int",
        ),
        (
            "complex-key",
            "? [a, b]\n: 1\n",
            "error: api.yaml:1:3 at (document root): malformed YAML: a mapping key must be a scalar (a sequence, mapping or alias cannot be a JSON key)",
        ),
        (
            "infinity",
            "type: number\nmaximum: .inf\n",
            "error: api.yaml:2:10 at (document root): malformed YAML: `.inf` (infinity or not-a-number) has no JSON form",
        ),
        (
            "undefined-alias",
            "type: object\nproperties:\n  a: *nowhere\n",
            "error: api.yaml:3:6 at (document root): malformed YAML: while parsing node, found unknown anchor",
        ),
    ];
    for (test, yaml, expected) in cases {
        let text = error(test, yaml);
        let first_line = text.lines().next().unwrap_or_default();
        assert_eq!(first_line, expected, "{test}");
    }
}

#[test]
fn an_alias_bomb_and_runaway_nesting_are_refused() {
    // Each level doubles the one before: 2^30 values if expanded.
    let mut bomb = String::from("a0: &a0 [x, x]\n");
    for i in 1..=30 {
        bomb.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
    }
    let text = error("bomb", &bomb);
    assert!(
        text.contains(
            "malformed YAML: aliases expand to more than 1000000 values; refused as an alias bomb"
        ),
        "{text}"
    );
    let deep = format!("{}1{}\n", "[".repeat(200), "]".repeat(200));
    let text = error("deep", &deep);
    assert!(
        text.starts_with("error: api.yaml:1:130 at (document root): malformed YAML: the document nests deeper than 128 levels"),
        "{text}"
    );
}

#[test]
fn scalars_read_by_the_yaml_1_2_core_schema() {
    let yaml = "\
type: object
title: yes
description: '123'
maxProperties: 0x10
minProperties: 1
examples: [1.5e3, -2, 18446744073709551615, null, ~, true, 'true', !!str 42]
";
    let file = scratch("scalars").join("api.yaml");
    std::fs::write(&file, yaml).expect("write");
    let yaml_value = read_back(&file);
    assert_eq!(
        yaml_value,
        serde_json::json!({
            "type": "object",
            "title": "yes",
            "description": "123",
            "maxProperties": 16,
            "minProperties": 1,
            "examples": [1500.0, -2, 18446744073709551615u64, null, null, true, "true", "42"]
        })
    );
    // What `to_yaml` writes reads back as the same value.
    let again = scratch("scalars-again").join("api.yaml");
    std::fs::write(&again, to_yaml(&yaml_value)).expect("write");
    assert_eq!(read_back(&again), yaml_value);
}

/// The value a YAML file reads as (through the generator's own loader).
fn read_back(file: &Path) -> serde_json::Value {
    let sources = codegen::source::Sources::load(file, &[]).expect("loads");
    sources.docs[0].root.clone()
}

/// Flow collections continued and closed at their parent's indentation, which libyaml reads
/// (Matrix's documents rely on it): read as written, positions those of the text as written.
const FLOW_AT_PARENT_INDENTATION: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      examples: [{
        \"code\": \"a\"
      }]
      properties:
        code: {
        type: string, pattern: \"\\\\p{Letter}\"
        }
      required: [
      code,
      code2
      ]
";

#[test]
fn flow_collections_at_their_parent_s_indentation_read_as_libyaml_reads_them() {
    let (file, result) = generate("flow-indentation", FLOW_AT_PARENT_INDENTATION);
    let generated = result.expect("generates");
    let value = read_back(&file);
    assert_eq!(
        value["components"]["schemas"]["Thing"],
        serde_json::json!({
            "type": "object",
            "examples": [{"code": "a"}],
            "properties": {
                "code": {"type": "string", "pattern": "\\p{Letter}"}
            },
            "required": ["code", "code2"]
        })
    );
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    // Where values on a line taken as indented further are: where the text has them.
    let sources = codegen::source::Sources::load(&file, &[]).expect("loads");
    let at = |pointer: &str| {
        let place = codegen::source::SchemaRef {
            doc: 0,
            pointer: pointer.into(),
        };
        sources.location(&place).line_col
    };
    assert_eq!(
        at("/components/schemas/Thing/properties/code/pattern"),
        Some((13, 32))
    );
    assert_eq!(
        at("/components/schemas/Thing/properties/code/type"),
        Some((13, 15))
    );
    assert_eq!(at("/components/schemas/Thing/required/1"), Some((17, 7)));
}

/// Lines of flow content at their parent's indentation are taken as indented further at most
/// 1,000 times in a file (each time the text is parsed again): past that, the error is YAML's.
#[test]
fn flow_content_repairs_are_bounded() {
    let mut yaml = String::from("x:\n  y: [\n");
    yaml.push_str(&"  a,\n".repeat(2_000));
    yaml.push_str("  ]\n");
    let text = error("flow-bounded", &yaml);
    assert!(
        text.starts_with(
            "error: api.yaml:1003:3 at (document root): malformed YAML: invalid indentation"
        ),
        "{text}"
    );
}
