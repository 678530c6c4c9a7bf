//! Generator tests on the IR: presence, enums, unions, recursion, shared shapes and naming.

use codegen::ir::{Crate, EnumValue, Presence, TypeDef, TypeKind, TypeRef};
use codegen::Config;
use std::path::{Path, PathBuf};

/// Writes `files` into a fresh folder (one sub-folder per module) and lowers them.
fn lower(test: &str, files: &[(&str, &str)]) -> Crate {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("lower")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path: PathBuf = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let generated = Config::new(&dir)
        .generate()
        .unwrap_or_else(|f| panic!("{test}: {f}"));
    generated.ir
}

fn find<'a>(krate: &'a Crate, module: &str, name: &str) -> &'a TypeDef {
    let m = krate
        .modules
        .iter()
        .find(|m| m.name == module)
        .unwrap_or_else(|| panic!("no module {module}"));
    m.types.iter().find(|t| t.name == name).unwrap_or_else(|| {
        let names: Vec<&str> = m.types.iter().map(|t| t.name.as_str()).collect();
        panic!("no type {name} in {module}: {names:?}")
    })
}

fn names(krate: &Crate, module: &str) -> Vec<String> {
    let m = krate
        .modules
        .iter()
        .find(|m| m.name == module)
        .expect("module");
    m.types.iter().map(|t| t.name.clone()).collect()
}

#[test]
fn presence_follows_required_and_nullable() {
    let krate = lower(
        "presence",
        &[(
            "v/thing.json",
            r#"{"title": "Thing", "type": "object", "required": ["a", "b"], "properties": {
                "a": {"type": "string"},
                "b": {"type": ["string", "null"]},
                "c": {"type": "integer"},
                "d": {"anyOf": [{"type": "boolean"}, {"type": "null"}]}
            }}"#,
        )],
    );
    let TypeKind::Struct(s) = &find(&krate, "v", "Thing").kind else {
        panic!("struct")
    };
    let presence: Vec<(&str, Presence)> = s
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.presence()))
        .collect();
    assert_eq!(
        presence,
        [
            ("a", Presence::Required),
            ("b", Presence::RequiredNullable),
            ("c", Presence::Optional),
            ("d", Presence::OptionalNullable)
        ]
    );
    assert_eq!(s.fields[3].ty, TypeRef::Bool);
}

#[test]
fn enums_keep_wire_values_and_get_a_fallback_that_does_not_collide() {
    let krate = lower(
        "enums",
        &[(
            "v/status.json",
            r#"{"title": "Status", "type": "string", "enum": ["in", "out", "other", "hydra:Collection", "2way", ""]}"#,
        )],
    );
    let TypeKind::Enum(e) = &find(&krate, "v", "Status").kind else {
        panic!("enum")
    };
    let variants: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        variants,
        ["In", "Out", "Other", "HydraCollection", "N2way", "Empty"]
    );
    assert_eq!(
        e.fallback, "Other2",
        "a listed value named `other` keeps `Other`"
    );
    assert_eq!(
        e.variants[3].value,
        EnumValue::String("hydra:Collection".into())
    );
}

#[test]
fn integer_enums_take_names_from_x_enum_varnames() {
    let krate = lower(
        "int-enums",
        &[(
            "v/kind.json",
            r#"{"title": "Kind", "type": "integer", "enum": [0, 1, -2], "x-enum-varnames": ["Incoming", "Outgoing", "Minus"]}"#,
        )],
    );
    let TypeKind::Enum(e) = &find(&krate, "v", "Kind").kind else {
        panic!("enum")
    };
    let got: Vec<(&str, &EnumValue)> = e
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.value))
        .collect();
    assert_eq!(
        got,
        [
            ("Incoming", &EnumValue::Integer(0)),
            ("Outgoing", &EnumValue::Integer(1)),
            ("Minus", &EnumValue::Integer(-2))
        ]
    );
}

/// Discord writes its closed sets as a `oneOf` of constants, each with a `title` and often a
/// `description`: an enum (named by the titles), not a union of look-alike `String`s of which only
/// the first could ever match; the validating mode keeps the union, whose branches check a value.
#[test]
fn a_one_of_of_constants_is_an_enum_named_by_the_titles() {
    let files = [
        (
            "v/locale.json",
            r#"{"title": "Locale", "type": "string", "oneOf": [
                {"title": "en-GB", "description": "The en-GB locale", "const": "en-GB"},
                {"title": "de", "description": "The de locale", "const": "de"}]}"#,
        ),
        (
            "v/level.json",
            r#"{"title": "Level", "type": "integer", "oneOf": [
                {"title": "NONE", "const": 0}, {"title": "LOW", "const": 1},
                {"title": "HIGH", "const": 2, "description": "Strict"}, {"const": 3}]}"#,
        ),
        (
            "v/mixed.json",
            r#"{"title": "Mixed", "oneOf": [{"const": "a"}, {"type": "string", "pattern": "^b"}]}"#,
        ),
    ];
    let krate = lower("const-one-of", &files);
    let variants = |name: &str| -> Vec<(String, EnumValue, Option<String>)> {
        let TypeKind::Enum(e) = &find(&krate, "v", name).kind else {
            panic!("{name} is an enum")
        };
        e.variants
            .iter()
            .map(|v| (v.name.clone(), v.value.clone(), v.doc.clone()))
            .collect()
    };
    assert_eq!(
        variants("Locale"),
        [
            (
                "EnGb".to_owned(),
                EnumValue::String("en-GB".into()),
                Some("The en-GB locale".to_owned())
            ),
            (
                "De".to_owned(),
                EnumValue::String("de".into()),
                Some("The de locale".to_owned())
            ),
        ]
    );
    // A branch's own title and description, where it has them; a value names one without.
    assert_eq!(
        variants("Level"),
        [
            ("None".to_owned(), EnumValue::Integer(0), None),
            ("Low".to_owned(), EnumValue::Integer(1), None),
            (
                "High".to_owned(),
                EnumValue::Integer(2),
                Some("Strict".to_owned())
            ),
            ("Value3".to_owned(), EnumValue::Integer(3), None),
        ]
    );
    assert!(matches!(
        find(&krate, "v", "Mixed").kind,
        TypeKind::Union(_)
    ));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lower/const-one-of");
    let mut config = Config::new(&dir);
    config.validate = true;
    let validating = config.generate().unwrap_or_else(|f| panic!("{f}"));
    assert!(!matches!(
        find(&validating.ir, "v", "Locale").kind,
        TypeKind::Enum(_)
    ));
}

#[test]
fn one_of_with_constant_tags_becomes_a_tagged_union() {
    let krate = lower(
        "tagged",
        &[
            (
                "v/a.json",
                r#"{"title": "Cat", "type": "object", "required": ["kind"], "properties": {"kind": {"const": "cat"}}}"#,
            ),
            (
                "v/b.json",
                r#"{"title": "Dog", "type": "object", "required": ["kind"], "properties": {"kind": {"const": "dog"}}}"#,
            ),
            (
                "v/pet.json",
                r#"{"title": "Pet", "oneOf": [{"$ref": "a.json"}, {"$ref": "b.json"}]}"#,
            ),
            (
                "v/loose.json",
                r#"{"title": "Loose", "oneOf": [{"$ref": "a.json"}, {"type": "string"}]}"#,
            ),
        ],
    );
    let TypeKind::Union(u) = &find(&krate, "v", "Pet").kind else {
        panic!("union")
    };
    assert_eq!(u.tag.as_deref(), Some("kind"));
    let tags: Vec<(&str, Option<&str>)> = u
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.tag_value.as_deref()))
        .collect();
    assert_eq!(tags, [("Cat", Some("cat")), ("Dog", Some("dog"))]);
    assert_eq!(u.fallback.as_deref(), Some("Other"));
    let TypeKind::Union(loose) = &find(&krate, "v", "Loose").kind else {
        panic!("union")
    };
    assert_eq!(
        loose.tag, None,
        "a string branch has no tag: tried in order"
    );
    assert_eq!(loose.fallback, None);
}

#[test]
fn recursion_is_boxed_only_inside_the_cycle() {
    let krate = lower(
        "recursion",
        &[
            (
                "v/conversation.json",
                r#"{"title": "Conversation", "type": "object", "properties": {"last": {"$ref": "message.json"}, "tag": {"$ref": "tag.json"}}}"#,
            ),
            (
                "v/message.json",
                r#"{"title": "Message", "type": "object", "properties": {"conversation": {"$ref": "conversation.json"}, "replies": {"type": "array", "items": {"$ref": "message.json"}}}}"#,
            ),
            (
                "v/tag.json",
                r#"{"title": "Tag", "type": "object", "properties": {"name": {"type": "string"}}}"#,
            ),
        ],
    );
    let fields = |name: &str| match &find(&krate, "v", name).kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.boxed))
            .collect::<Vec<_>>(),
        _ => panic!("struct"),
    };
    assert_eq!(
        fields("Conversation"),
        [("last".to_owned(), true), ("tag".to_owned(), false)]
    );
    assert_eq!(
        fields("Message"),
        [
            ("conversation".to_owned(), true),
            ("replies".to_owned(), false)
        ]
    );
}

#[test]
fn identical_inline_shapes_become_one_type_and_definitions_win_names() {
    let krate = lower(
        "shapes",
        &[
            (
                "v/a.json",
                r#"{"title": "A", "type": "object", "properties": {
                "when": {"type": "object", "properties": {"at": {"type": "string"}}},
                "again": {"type": "object", "description": "same shape", "properties": {"at": {"type": "string"}}}}}"#,
            ),
            (
                "v/b.json",
                r#"{"title": "B", "type": "object", "properties": {"when": {"type": "object", "properties": {"at": {"type": "integer"}}}}}"#,
            ),
            (
                "v/again.json",
                r#"{"title": "AAgain", "type": "object", "properties": {"other": {"type": "boolean"}}}"#,
            ),
        ],
    );
    // A.when and A.again share one type, named after the smaller hint (`AAgain`); a definition
    // already has that name, so the inline shape says what it is (no number, no warning).
    assert_eq!(
        names(&krate, "v"),
        ["A", "AAgain", "AAgainObject", "B", "BWhen"]
    );
    let TypeKind::Struct(a) = &find(&krate, "v", "A").kind else {
        panic!("struct")
    };
    assert_eq!(a.fields[0].ty, a.fields[1].ty);
}

#[test]
fn colliding_and_hostile_names_are_made_valid_and_distinct() {
    let krate = lower(
        "names",
        &[(
            "v/thing.json",
            r#"{"title": "Result", "type": "object", "properties": {
                "type": {"type": "string"}, "@type": {"type": "string"}, "at_type": {"type": "string"},
                "userName": {"type": "string"}, "user_name": {"type": "string"}, "self": {"type": "string"},
                "2fa": {"type": "boolean"}, "": {"type": "string"}, "*/\"]": {"type": "string"},
                "extra": {"type": "string"}}}"#,
        )],
    );
    assert_eq!(
        names(&krate, "v"),
        ["Result2"],
        "prelude names are never taken"
    );
    let TypeKind::Struct(s) = &find(&krate, "v", "Result2").kind else {
        panic!("struct")
    };
    let fields: Vec<(&str, &str)> = s
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("type", "type_"),
            ("@type", "at_type_2"),
            ("at_type", "at_type"),
            ("userName", "user_name_2"),
            ("user_name", "user_name"),
            ("self", "self_"),
            ("2fa", "_2fa"),
            ("", "empty_2"),
            ("*/\"]", "empty_3"),
            ("extra", "extra"),
        ]
    );
    assert_eq!(
        s.unknown_fields,
        codegen::ir::UnknownFields::Keep("extra_2".into())
    );
}

#[test]
fn warnings_degrade_to_json_values_instead_of_failing() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("lower")
        .join("warnings");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("v")).expect("mkdir");
    std::fs::write(dir.join("v/x.json"), r#"{"title": "X", "type": "object", "properties": {"multi": {"type": ["string", "integer"]}}}"#)
        .expect("write");
    let generated = Config::new(&dir)
        .generate()
        .expect("warnings do not fail the run");
    assert_eq!(generated.warnings.len(), 1);
    let text = generated.warnings[0].to_string();
    assert!(
        text.contains("x.json:1:58") && text.contains("/properties/multi"),
        "{text}"
    );
    let TypeKind::Struct(s) = &find(&generated.ir, "v", "X").kind else {
        panic!("struct")
    };
    assert_eq!(s.fields[0].ty, TypeRef::Json);
}

#[test]
fn all_of_merges_inherited_properties_through_every_level() {
    let krate = lower(
        "all-of",
        &[
            (
                "v/animal.json",
                r#"{"title": "Animal", "type": "object", "properties": {"name": {"type": "string"}}}"#,
            ),
            (
                "v/pet.json",
                r#"{"title": "Pet", "allOf": [{"$ref": "animal.json"}, {"properties": {"owner": {"type": "string"}}}]}"#,
            ),
            (
                "v/dog.json",
                r#"{"title": "Dog", "required": ["name"], "allOf": [{"$ref": "pet.json"}, {"properties": {"barks": {"type": "boolean"}}}]}"#,
            ),
            (
                "v/status.json",
                r#"{"title": "Status", "type": "string", "enum": ["a", "b"]}"#,
            ),
            (
                "v/holder.json",
                r#"{"title": "Holder", "type": "object", "properties": {"status": {"allOf": [{"$ref": "status.json"}, {"description": "The status."}]}}}"#,
            ),
        ],
    );
    let TypeKind::Struct(dog) = &find(&krate, "v", "Dog").kind else {
        panic!("struct")
    };
    let fields: Vec<(&str, bool)> = dog
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    // `name` comes from two levels down, and the outer `required` reaches it.
    assert_eq!(fields, [("name", true), ("owner", false), ("barks", false)]);
    // `allOf` of a `$ref` and a description is the referenced type, not an empty struct.
    let TypeKind::Struct(holder) = &find(&krate, "v", "Holder").kind else {
        panic!("struct")
    };
    assert_eq!(
        holder.fields[0].ty,
        TypeRef::Named {
            module: "v".into(),
            name: "Status".into()
        }
    );
}

#[test]
fn module_names_never_take_the_runtime_modules() {
    let krate = lower(
        "modules",
        &[("request/x.json", r#"{"title": "X", "type": "string"}"#)],
    );
    assert_eq!(krate.modules[0].name, "request_2");
}

/// `$defs` `n0` … `n{len}`, each an object whose `next` property refers to the following one.
fn chain(len: usize) -> String {
    let defs: Vec<String> = (0..len)
        .map(|i| format!(r##""n{i}": {{"type": "object", "properties": {{"next": {{"$ref": "#/$defs/n{}"}}}}}}"##, i + 1))
        .chain(std::iter::once(format!(r##""n{len}": {{"type": "string"}}"##)))
        .collect();
    format!(
        r##"{{"$ref": "#/$defs/n0", "$defs": {{{}}}}}"##,
        defs.join(",")
    )
}

#[test]
fn deep_but_finite_schemas_generate_and_runaway_ones_are_refused() {
    let krate = lower("deep", &[("v/deep.json", &chain(300))]);
    assert!(names(&krate, "v").len() > 300);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("lower")
        .join("runaway");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("v")).expect("mkdir");
    std::fs::write(dir.join("v/deep.json"), chain(1500)).expect("write");
    let failure = Config::new(&dir).generate().expect_err("too deep");
    assert!(failure.to_string().contains("deeper than"), "{failure}");
}

/// Names from the document's keys (Intercom's `admin` and `admin_with_app`, both titled `Admin`):
/// a definition is named from its key, its title goes into its docs; an inline schema takes its
/// title only when no other inline schema asks for it, else its place; keys that meet after case
/// conversion are numbered, each with a warning naming both places.
#[test]
fn type_names_come_from_keys_then_unique_titles_then_places() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lower/keys");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("api.json");
    std::fs::write(
        &file,
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
  "components": {"schemas": {
    "admin": {"title": "Admin", "type": "object", "properties": {"id": {"type": "string"}}},
    "admin_with_app": {"title": "Admin", "description": "An admin and its app.", "type": "object", "properties": {"app": {"type": "string"}}},
    "conversation_contacts": {"title": "Contacts", "type": "object", "properties": {
      "source": {"title": "Source", "type": "object", "properties": {"kind": {"type": "string"}}},
      "audio": {"title": "Audio", "type": "object", "properties": {"url": {"type": "string"}}}
    }},
    "message": {"type": "object", "properties": {
      "audio": {"title": "Audio", "type": "object", "properties": {"seconds": {"type": "integer"}}},
      "admin": {"type": "object", "properties": {"when": {"type": "string"}}}
    }},
    "message_admin": {"type": "object", "properties": {"x": {"type": "boolean"}}},
    "user_id": {"type": "object", "properties": {"a": {"type": "string"}}},
    "userId": {"type": "object", "properties": {"b": {"type": "string"}}}
  }}}"##,
    )
    .expect("write");
    let generated = Config::new(&file).generate().expect("generates");
    let names: Vec<&str> = generated.ir.modules[0]
        .types
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Admin",
            "AdminWithApp",
            "ConversationContacts",
            // Two inline schemas are titled `Audio`: each is named from its place.
            "ConversationContactsAudio",
            "Message",
            "MessageAdmin",
            // `message.admin`'s place is the definition `message_admin`'s name.
            "MessageAdminObject",
            "MessageAudio",
            // The one inline schema titled `Source` takes its title.
            "Source",
            "UserId",
            "UserId2",
        ]
    );
    let doc = |name: &str| {
        generated.ir.modules[0]
            .types
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| t.doc.clone())
    };
    assert_eq!(
        doc("AdminWithApp").as_deref(),
        Some("Admin\n\nAn admin and its app.")
    );
    assert_eq!(doc("ConversationContacts").as_deref(), Some("Contacts"));
    let warnings: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        ["the type at `api.json#/components/schemas/user_id` is named `UserId2`: `UserId` is also wanted by `api.json#/components/schemas/userId`"]
    );
}

/// Every way a document says an array item or a map value may be null types it as an `Option`
/// of its type, in OpenAPI 3.1 (JSON Schema 2020-12), OpenAPI 3.0 (`nullable`) and JSON Schema
/// files alike; a free-form item stays any JSON value.
#[test]
fn nullable_items_and_map_values_keep_their_type() {
    use codegen::ir::TypeRef;
    let named = |name: &str, module: &str| TypeRef::Named {
        module: module.into(),
        name: name.into(),
    };
    let opt = |t: TypeRef| TypeRef::Nullable(Box::new(t));
    let vec = |t: TypeRef| TypeRef::Array(Box::new(t));
    let map = |t: TypeRef| TypeRef::Map(Box::new(t));
    let field_types = |krate: &Crate, module: &str, ty: &str| -> Vec<(String, TypeRef)> {
        match &find(krate, module, ty).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| (f.name.clone(), f.ty.clone()))
                .collect(),
            other => panic!("{ty}: {other:?}"),
        }
    };
    let krate = lower(
        "nullable-items",
        &[
            (
                "v31/openapi.json",
                r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
  "components": {"schemas": {
    "Tag": {"type": "object", "properties": {"name": {"type": "string"}}},
    "Lists": {"type": "object", "properties": {
      "types": {"type": "array", "items": {"type": ["string", "null"]}},
      "one_of": {"type": "array", "items": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Tag"}]}},
      "any_of": {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "null"}]}},
      "values": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
      "free": {"type": "array", "items": {}}
    }}
  }}}"##,
            ),
            (
                "v30/openapi.json",
                r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
  "components": {"schemas": {
    "Tag": {"type": "object", "nullable": true, "properties": {"name": {"type": "string"}}},
    "Lists": {"type": "object", "properties": {
      "by_ref": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
      "inline": {"type": "array", "items": {"type": "string", "nullable": true}},
      "values": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Tag"}}
    }}
  }}}"##,
            ),
            (
                "schema/lists.json",
                r##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Lists", "type": "object",
  "properties": {"numbers": {"type": "array", "items": {"type": ["number", "null"]}}}}"##,
            ),
        ],
    );
    assert_eq!(
        field_types(&krate, "v31", "Lists"),
        [
            ("types".to_owned(), vec(opt(TypeRef::String))),
            ("one_of".to_owned(), vec(opt(named("Tag", "v31")))),
            ("any_of".to_owned(), vec(opt(named("Tag", "v31")))),
            ("values".to_owned(), map(opt(TypeRef::Integer(64)))),
            ("free".to_owned(), vec(TypeRef::Json)),
        ]
    );
    assert_eq!(
        field_types(&krate, "v30", "Lists"),
        [
            ("by_ref".to_owned(), vec(opt(named("Tag", "v30")))),
            ("inline".to_owned(), vec(opt(TypeRef::String))),
            ("values".to_owned(), map(opt(named("Tag", "v30")))),
        ]
    );
    assert_eq!(
        field_types(&krate, "schema", "Lists"),
        [("numbers".to_owned(), vec(opt(TypeRef::Number)))]
    );
}

/// An operation named as its module (Matrix's `sync` operation in `sync.yaml`) keeps its name;
/// its request module is allowed to share the module's name, which clippy would refuse.
#[test]
fn an_operation_named_as_its_module_is_lint_clean() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("inception");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("sync.json");
    std::fs::write(
        &file,
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/sync": {"get": {"operationId": "sync", "responses": {"200": {"description": "ok"}}}}}}"#,
    )
    .expect("write");
    let generated = codegen::Config::new(&file).generate().expect("generates");
    let text = &generated.files.0["src/sync.rs"];
    let squeezed: String = text.split_whitespace().collect();
    assert!(
        squeezed.contains("#[allow(clippy::module_inception)]pubmodsync{"),
        "{text}"
    );
}

/// A union with a branch that may be null (a 3.0 `$ref` to a `nullable` schema, a 3.1 branch of
/// `type: [string, "null"]`) keeps every branch's type and is itself nullable; so is an answer
/// whose schema may be null, and `type: "null"` is `()`. An object of one `patternProperties`
/// pattern is a map (with a warning unless every member must match it); tuples and other
/// `patternProperties`, which the generator reads as any JSON value, are warned about and counted
/// in the summary as untyped.
#[test]
fn nullable_union_branches_and_answers_keep_their_type_and_every_untyped_schema_is_counted() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lower/nullable-unions");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("v30")).expect("mkdir");
    std::fs::create_dir_all(dir.join("v31")).expect("mkdir");
    std::fs::write(
        dir.join("v30/openapi.json"),
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
  "paths": {"/tags/{id}": {"get": {"operationId": "getTag",
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "the tag, or null",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}}}}}},
  "components": {"schemas": {
    "Tag": {"type": "object", "nullable": true, "properties": {"name": {"type": "string"}}},
    "Label": {"type": "object", "properties": {"text": {"type": "string"}}},
    "Holder": {"type": "object", "required": ["mark"], "properties": {
      "mark": {"oneOf": [{"$ref": "#/components/schemas/Tag"}, {"$ref": "#/components/schemas/Label"}]}
    }}
  }}}"##,
    )
    .expect("write");
    std::fs::write(
        dir.join("v31/openapi.json"),
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
  "components": {"schemas": {
    "Holder": {"type": "object", "properties": {
      "mark": {"anyOf": [{"type": ["string", "null"]}, {"type": "integer"}]},
      "always_null": {"type": "null"},
      "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
      "labels": {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
      "notes": {"type": "object", "additionalProperties": {"type": "integer"}, "patternProperties": {"^x-": {"type": "string"}}},
      "closed": {"type": "object", "additionalProperties": false, "patternProperties": {"^x-": {"type": "string"}}},
      "counts": {"type": "object", "patternProperties": {"^.*$": {"type": ["integer", "null"]}}}
    }}
  }}}"##,
    )
    .expect("write");
    let generated = Config::new(&dir).generate().expect("generates");
    let krate = &generated.ir;
    let field = |module: &str, name: &str| match &find(krate, module, "Holder").kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.name == name)
            .cloned()
            .expect("field"),
        other => panic!("{other:?}"),
    };
    let variants = |module: &str, ty: &TypeRef| {
        let TypeRef::Named { name, .. } = ty else {
            panic!("{ty:?}")
        };
        match &find(krate, module, name).kind {
            TypeKind::Union(u) => u.variants.iter().map(|v| v.ty.clone()).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        }
    };
    let named = |name: &str| TypeRef::Named {
        module: "v30".into(),
        name: name.into(),
    };
    let mark = field("v30", "mark");
    assert_eq!(mark.presence(), Presence::RequiredNullable);
    assert_eq!(variants("v30", &mark.ty), [named("Tag"), named("Label")]);
    let mark = field("v31", "mark");
    assert_eq!(mark.presence(), Presence::OptionalNullable);
    assert_eq!(
        variants("v31", &mark.ty),
        [TypeRef::String, TypeRef::Integer(64)]
    );
    let always_null = field("v31", "always_null");
    assert_eq!(
        (always_null.presence(), always_null.ty),
        (Presence::OptionalNullable, TypeRef::Null)
    );
    // One pattern is a map of its values, with a warning unless every member must match it.
    assert_eq!(
        field("v31", "labels").ty,
        TypeRef::Map(Box::new(TypeRef::String))
    );
    assert_eq!(field("v31", "notes").ty, TypeRef::JsonObject);
    assert_eq!(
        field("v31", "closed").ty,
        TypeRef::Map(Box::new(TypeRef::String))
    );
    assert_eq!(
        field("v31", "counts").ty,
        TypeRef::Map(Box::new(TypeRef::Nullable(Box::new(TypeRef::Integer(64)))))
    );
    let operation = &krate
        .modules
        .iter()
        .find(|m| m.name == "v30")
        .expect("module")
        .operations[0];
    assert_eq!(
        operation.responses[0].answer,
        codegen::ir::Answer::Json(TypeRef::Nullable(Box::new(named("Tag"))))
    );
    let messages: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| format!("{} {}", w.location.pointer, w.message))
        .collect();
    assert_eq!(
        messages,
        [
            "/components/schemas/Holder/properties/pair/prefixItems `prefixItems` as an array (a tuple) is read as an array of any JSON value",
            "/components/schemas/Holder/properties/labels/patternProperties members whose names do not match `^x-` may hold any value; they are read as the pattern's schema too",
            "/components/schemas/Holder/properties/notes/patternProperties an object whose members' schemas depend on their names (`patternProperties`) is read as a map of any JSON value",
        ]
    );
    assert_eq!(
        generated.summary().to_string(),
        "summary: 1 operations generated, 0 left out; 0 webhooks generated, 0 left out; 0 parameters and 0 bodies left out; 2 schemas untyped; 3 warnings"
    );
}
