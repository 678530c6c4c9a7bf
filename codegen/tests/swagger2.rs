//! Swagger 2.0 documents are read as their OpenAPI 3.0 form: each 2.0 construct becomes what it
//! means in 3.0, a 2.0 document gives the crate its conversion by an independent converter gives,
//! and every diagnostic names the 2.0 file's own pointer, line and column.

use codegen::ir::{BodyKind, Module, ParamLocation, Security, Style, TypeKind, TypeRef};
use codegen::{Config, Generated};
use std::path::{Path, PathBuf};

fn twin(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/swagger2")
        .join(version)
        .join("textline.json")
}

fn generate(file: &Path, strict: bool) -> Result<Generated, codegen::Failure> {
    let mut config = Config::new(file);
    config.strict = strict;
    config.generate()
}

fn module(generated: &Generated) -> &Module {
    &generated.ir.modules[0]
}

/// The 2.0 document's operations, parameters, bodies, answers, security and server, as 3.0 means
/// them.
#[test]
fn each_construct_means_what_it_means_in_3_0() {
    let generated = generate(&twin("v2"), true).unwrap_or_else(|f| panic!("{f}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let m = module(&generated);
    let api = m.api.as_ref().expect("an API");
    // host + basePath + schemes.
    assert_eq!(
        api.base_url.as_deref(),
        Some("https://api.textline.example/v1")
    );
    // securityDefinitions: basic, apiKey, and the two OAuth2 flows (the client-credentials one is
    // the one the client fetches tokens for).
    let kinds: Vec<(&str, &Security)> = api
        .schemes
        .iter()
        .map(|s| (s.name.as_str(), &s.kind))
        .collect();
    assert!(
        kinds.contains(&("basicAuth", &Security::Basic)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("apiKey", &Security::ApiKeyHeader("X-Api-Key".into()))),
        "{kinds:?}"
    );
    assert!(kinds.contains(&("oauth", &Security::Bearer)), "{kinds:?}");
    assert!(
        kinds.contains(&(
            "machine",
            &Security::ClientCredentials {
                token_url: "https://auth.textline.example/token".into(),
                json: false
            }
        )),
        "{kinds:?}"
    );
    let op = |id: &str| {
        m.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };

    // Query parameters: csv (the default) is form without explode, multi is form exploded,
    // pipes is pipe-delimited; their value keywords are their schema.
    let list = op("listMessages");
    let param = |name: &str| {
        list.params
            .iter()
            .find(|p| p.wire_name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        (param("tags").style, param("tags").explode),
        (Style::Form, false)
    );
    assert_eq!(
        (param("channel").style, param("channel").explode),
        (Style::Form, true)
    );
    assert_eq!(
        (param("ids").style, param("ids").explode),
        (Style::PipeDelimited, false)
    );
    assert_eq!(param("limit").constraints.maximum, Some(100.0));
    assert_eq!(
        param("tags").doc.as_deref(),
        Some("Only messages with all of these tags.")
    );
    // Response headers.
    let headers: Vec<&str> = list.headers.iter().map(|h| h.wire_name.as_str()).collect();
    assert_eq!(headers, ["X-Rate-Limit-Remaining", "X-Next-Page"]);
    assert_eq!(
        list.security,
        [vec!["oauth".to_owned()], vec!["apiKey".to_owned()]]
    );

    // A path item's parameter applies to its operations; a shared response by `$ref`.
    let get = op("getMessage");
    assert_eq!(get.params.len(), 1);
    assert_eq!(get.params[0].location, ParamLocation::Path);
    assert_eq!(
        get.errors
            .iter()
            .map(|e| e.status.as_str())
            .collect::<Vec<_>>(),
        ["404"]
    );

    // `in: body` by `$ref` to the document's parameters: a JSON body of the definition's type.
    let send = op("sendMessage");
    let body = send.body.as_ref().expect("a body");
    assert!(body.required);
    assert_eq!(body.doc.as_deref(), Some("The message to send."));
    let [content] = body.contents.as_slice() else {
        panic!("{body:?}")
    };
    assert_eq!(content.media_type, "application/json");
    let BodyKind::Json(TypeRef::Named { name, .. }) = &content.kind else {
        panic!("{content:?}")
    };
    assert_eq!(name, "NewMessage");

    // `in: formData`: a form body whose arrays keep their collectionFormat.
    let opt_out = op("optOut");
    let body = opt_out.body.as_ref().expect("a body");
    assert!(body.required);
    let [content] = body.contents.as_slice() else {
        panic!("{body:?}")
    };
    assert_eq!(content.media_type, "application/x-www-form-urlencoded");
    let BodyKind::Form { encoding, .. } = &content.kind else {
        panic!("{content:?}")
    };
    let layout: Vec<(&str, Style, bool)> = encoding
        .iter()
        .map(|e| (e.wire_name.as_str(), e.style, e.explode))
        .collect();
    assert_eq!(
        layout,
        [
            ("keywords", Style::Form, false),
            ("lists", Style::Form, true)
        ]
    );

    // `type: file` makes the body multipart, the file a part.
    let upload = op("uploadMedia");
    let [content] = upload.body.as_ref().expect("a body").contents.as_slice() else {
        panic!()
    };
    assert_eq!(content.media_type, "multipart/form-data");
    assert!(
        matches!(content.kind, BodyKind::Multipart { .. }),
        "{content:?}"
    );

    // Definitions: `x-nullable` and `discriminator` as a property name.
    let message = m
        .types
        .iter()
        .find(|t| t.name == "Message")
        .expect("Message");
    let TypeKind::Struct(s) = &message.kind else {
        panic!("{message:?}")
    };
    let field = |name: &str| {
        s.fields
            .iter()
            .find(|f| f.wire_name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert!(field("body").nullable && field("error_code").nullable);
    assert!(!field("status").nullable);
}

/// A 2.0 document and swagger2openapi's conversion of it (`codegen/tests/swagger2/v3/`, made by
/// `cargo xtask swagger2-twins`) give the same crate, but for the one place the converter is
/// wrong: it drops the `collectionFormat` of form fields, and with it 2.0's default (`csv`: "Default
/// value is csv", Swagger 2.0, Parameter Object), so in its output the fields take 3.0's default
/// for form (`explode: true`).
#[test]
fn a_document_and_its_independent_conversion_give_the_same_crate() {
    let from_2 = generate(&twin("v2"), true).unwrap_or_else(|f| panic!("{f}"));
    let from_3 = generate(&twin("v3"), true).unwrap_or_else(|f| panic!("{f}"));
    let mut ir = from_2.ir.clone();
    for op in &mut ir.modules[0].operations {
        for content in op.body.iter_mut().flat_map(|b| &mut b.contents) {
            if let BodyKind::Form { encoding, .. } = &mut content.kind {
                // What the converter's output says: `lists` (multi) is 3.0's default, `keywords`
                // (csv) lost.
                encoding.clear();
            }
        }
    }
    assert_eq!(ir, from_3.ir);
    let files = |g: &Generated| g.files.0.clone();
    let (two, three) = (files(&from_2), files(&from_3));
    assert_eq!(two.len(), three.len());
    for ((path, text), (path3, text3)) in two.iter().zip(&three) {
        assert_eq!(path, path3);
        if text != text3 {
            assert!(path.ends_with("src/textline.rs"), "{path:?} differs");
            // The one difference, the form body's encoding: the lines between what both
            // files start and end with.
            let (lines, lines3): (Vec<&str>, Vec<&str>) =
                (text.lines().collect(), text3.lines().collect());
            let head = lines
                .iter()
                .zip(&lines3)
                .take_while(|(a, b)| a == b)
                .count();
            let tail = lines
                .iter()
                .rev()
                .zip(lines3.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let squeeze = |l: &[&str]| l.concat().split_whitespace().collect::<String>();
            assert_eq!(
                squeeze(&lines[head..lines.len() - tail]),
                r#"Ok(Some(request::form_body(body,&[("keywords",request::Style::Form,false),("lists",request::Style::Form,true),],)?,),)"#
            );
            assert_eq!(
                squeeze(&lines3[head..lines3.len() - tail]),
                "Ok(Some(request::form_body(body,&[])?))"
            );
        }
    }
}

const DEFECTS: &str = r##"{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "consumes": ["application/json"],
  "securityDefinitions": {
    "odd": {"type": "oauth2", "flow": "device", "scopes": {}}
  },
  "paths": {
    "/a": {
      "post": {
        "operationId": "formAsJson",
        "schemes": ["http"],
        "parameters": [
          {"name": "x", "in": "formData", "type": "string"},
          {"name": "t", "in": "query", "type": "array", "collectionFormat": "tsv", "items": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok", "schema": {"type": "string"},
          "examples": {"text/plain": "hi"}}}
      }
    },
    "/b": {
      "post": {
        "operationId": "bodyAndForm",
        "consumes": ["application/x-www-form-urlencoded"],
        "parameters": [
          {"name": "p", "in": "body", "schema": {"type": "string"}},
          {"name": "y", "in": "formData", "type": "string"}
        ],
        "responses": {"200": {"description": "ok"}}
      }
    }
  }
}
"##;

/// What a 2.0 document says that 3.0 cannot is warned about where the 2.0 file says it, with its
/// line and column; `--strict` makes each an error.
#[test]
fn defects_are_reported_at_the_2_0_document_s_own_places() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("swagger2-defects");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("api.json");
    std::fs::write(&file, DEFECTS).expect("write");
    let generated = generate(&file, false).unwrap_or_else(|f| panic!("{f}"));
    let f = file.display();
    let lines: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| w.to_string().lines().next().unwrap_or_default().to_owned())
        .collect();
    let expected = [
        format!("warning: {f}:6:39 at /securityDefinitions/odd/flow: OAuth2 flow `device` is not one of Swagger 2.0's four"),
        format!("warning: {f}:12:20 at /paths/~1a/post/schemes: an operation's own `schemes` has no OpenAPI 3 equivalent"),
        format!("warning: {f}:15:77 at /paths/~1a/post/parameters/1/collectionFormat: `collectionFormat: tsv` has no OpenAPI 3 equivalent"),
        format!("warning: {f}:18:38 at /paths/~1a/post/responses/200/examples/text~1plain: an example for `text/plain`, which the response does not produce"),
        format!("warning: {f}:4:15 at /consumes: `consumes` lists `application/json`, which `formData` parameters cannot be sent as"),
        format!("warning: {f}:27:11 at /paths/~1b/post/parameters/1: an operation has one body: this parameter is besides the `in: body` one"),
    ];
    for line in &expected {
        assert!(
            lines.contains(line),
            "missing\n{line}\namong\n{}",
            lines.join("\n")
        );
    }
    let Err(failure) = generate(&file, true) else {
        panic!("strict fails")
    };
    assert_eq!(failure.diagnostics.len(), expected.len(), "{failure}");

    // A reference written against the 2.0 layout finds its target, or is an error at its place.
    let dangling = DEFECTS.replace(
        r#""schema": {"type": "string"}},"#,
        r##""schema": {"$ref": "#/definitions/Missing"}},"##,
    );
    std::fs::write(&file, dangling).expect("write");
    let Err(failure) = generate(&file, false) else {
        panic!("a dangling reference fails")
    };
    let line = format!(
        "error: {f}:26:49 at /paths/~1b/post/parameters/0/schema: dangling `$ref` \"#/definitions/Missing\": `file://{}` has nothing at `/definitions/Missing`",
        file.canonicalize().expect("canonical").display()
    );
    assert!(failure.to_string().lines().any(|l| l == line), "{failure}");
}

/// A body parameter another file holds (`common.json#/parameters/Message`) is not inlined yet: the
/// body is left out with a warning at the parameter, and counted; a parameter `$ref` that leads
/// nowhere is named with the pointer as written.
#[test]
fn a_body_parameter_from_another_file_is_left_out_and_said_so() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("swagger2-cross-file");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let api = dir.join("api.json");
    std::fs::write(
        &api,
        r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"},
  "paths": {"/messages": {"post": {"operationId": "send",
    "parameters": [{"$ref": "common.json#/parameters/Message"}, {"$ref": "common.json#/parameters/Nope"}],
    "responses": {"200": {"description": "sent"}}}}}}"#,
    )
    .expect("write");
    std::fs::write(
        dir.join("common.json"),
        r#"{"swagger": "2.0", "info": {"title": "c", "version": "1"}, "paths": {},
  "parameters": {"Message": {"name": "body", "in": "body", "required": true,
    "schema": {"type": "object", "properties": {"to": {"type": "string"}}}}}}"#,
    )
    .expect("write");
    let generated = generate(&api, false).unwrap_or_else(|f| panic!("{f}"));
    let common = dir.join("common.json").canonicalize().expect("canonical");
    let lines: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| w.to_string().lines().next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        lines,
        [
            format!("warning: {}:2:29 at /parameters/Message: a Swagger 2.0 `body` parameter reached by a `$ref` from another file is not supported yet", dir.join("common.json").display()),
            format!("warning: {}:3:65 at /paths/~1messages/post/parameters/1: dangling `$ref` \"common.json#/parameters/Nope\": `file://{}` has nothing at `/parameters/Nope`; the parameter is left out", api.display(), common.display()),
        ]
    );
    assert!(module(&generated).operations[0].body.is_none());
    assert_eq!(
        generated.summary().to_string(),
        "summary: 1 operations generated, 0 left out; 0 webhooks generated, 0 left out; 1 parameters and 1 bodies left out; 0 schemas untyped; 2 warnings"
    );
}
