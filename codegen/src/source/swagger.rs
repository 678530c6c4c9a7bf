//! Swagger 2.0 read as OpenAPI 3.0, so that every later stage sees one dialect.
//!
//! The document is rewritten once, when it is loaded: `definitions`, `parameters`, `responses` and
//! `securityDefinitions` become `components`; `in: body` and `in: formData` parameters become request
//! bodies (one media type per entry of `consumes`); a response's `schema` becomes `content` (one per
//! entry of `produces`); `host`, `basePath` and `schemes` become `servers`; `collectionFormat`
//! becomes `style` and `explode`; `x-nullable`, a `discriminator` that names a property and
//! `type: file` become their 3.0 spellings.
//!
//! Nothing is lost for diagnostics: [`Converted::origins`] maps each moved place back to where the
//! 2.0 document wrote it, so a warning names the file's own pointer, line and column, and
//! [`ALIASES`] lets a `$ref` written against the 2.0 layout (`#/definitions/Pet`) find its target.

use super::positions::escape_token;
use serde_json::{json, Map, Value};

/// Where the 2.0 sections are in the converted document: `(2.0 pointer, 3.0 pointer)`.
pub(super) const ALIASES: &[(&str, &str)] = &[
    ("/definitions", "/components/schemas"),
    ("/parameters", "/components/parameters"),
    ("/responses", "/components/responses"),
    ("/securityDefinitions", "/components/securitySchemes"),
];

/// Whether a parsed document is a Swagger 2.0 description.
pub(super) fn is_swagger2(root: &Value) -> bool {
    root.get("swagger")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("2."))
}

/// Something the conversion could not carry over exactly, at a 2.0 pointer.
#[derive(Debug)]
pub(super) struct Note {
    pub pointer: String,
    pub message: String,
    pub hint: &'static str,
}

/// A 2.0 document in its 3.0 form.
pub(super) struct Converted {
    pub root: Value,
    /// `(3.0 pointer, 2.0 pointer)`: a converted place whose pointer starts with the first came from
    /// the second (the longest such prefix decides).
    pub origins: Vec<(String, String)>,
    pub notes: Vec<Note>,
}

/// The 2.0 pointer of a place in the converted document.
pub(super) fn original_pointer(origins: &[(String, String)], pointer: &str) -> String {
    let best = origins
        .iter()
        .filter(|(new, _)| {
            pointer
                .strip_prefix(new.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|(new, _)| new.len());
    match best {
        Some((new, old)) => format!("{old}{}", &pointer[new.len()..]),
        None => pointer.to_owned(),
    }
}

/// The 3.0 pointer a `$ref` fragment written against the 2.0 layout means.
pub(super) fn aliased(fragment: &str) -> Option<String> {
    ALIASES.iter().find_map(|(old, new)| {
        let rest = fragment.strip_prefix(old)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| format!("{new}{rest}"))
    })
}

/// Converts a Swagger 2.0 document (see the module docs).
pub(super) fn convert(root: Value) -> Converted {
    let Value::Object(doc) = root else {
        return Converted {
            root,
            origins: Vec::new(),
            notes: Vec::new(),
        };
    };
    let mut c = Converter {
        doc: &doc,
        origins: ALIASES
            .iter()
            .map(|(old, new)| ((*new).to_owned(), (*old).to_owned()))
            .collect(),
        notes: Vec::new(),
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    let mut components = Map::new();
    for (key, value) in &doc {
        match key.as_str() {
            "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            "definitions" => {
                components.insert("schemas".into(), map_values(value, schema));
            }
            "parameters" => {
                components.insert("parameters".into(), c.shared_parameters(value));
            }
            "responses" => {
                let produces = c.media_list(None, "produces");
                let converted = map_entries(value, |name, response| {
                    let at = format!("/responses/{}", escape_token(name));
                    let new_at = format!("/components/responses/{}", escape_token(name));
                    Some(c.response(response, &at, &new_at, &produces))
                });
                components.insert("responses".into(), converted);
            }
            "securityDefinitions" => {
                let converted = map_entries(value, |name, scheme| {
                    Some(c.security_scheme(
                        scheme,
                        &format!("/securityDefinitions/{}", escape_token(name)),
                    ))
                });
                components.insert("securitySchemes".into(), converted);
            }
            "paths" => {
                out.insert("paths".into(), c.paths(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(servers) = c.servers() {
        out.insert("servers".into(), servers);
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    Converted {
        root: Value::Object(out),
        origins: c.origins,
        notes: c.notes,
    }
}

/// The keywords of a 2.0 parameter, header or items object that describe its value: they go to the
/// 3.0 `schema`.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Keywords whose values are data, not schemas.
const DATA_KEYWORDS: &[&str] = &["enum", "const", "example", "examples", "default"];

/// The HTTP methods a 2.0 path item may hold.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

struct Converter<'d> {
    doc: &'d Map<String, Value>,
    origins: Vec<(String, String)>,
    notes: Vec<Note>,
}

/// One parameter of an operation, as it applies: resolved if it was a local `$ref`.
struct Param<'d> {
    /// The parameter object (the `$ref`'s target for a reference).
    value: &'d Map<String, Value>,
    /// Its 2.0 pointer (the target's, for a reference).
    at: String,
    /// The 2.0 pointer of the list entry.
    entry_at: String,
    /// The entry as written, when it is a `$ref` to a parameter that stays a parameter.
    reference: Option<&'d Value>,
}

impl<'d> Param<'d> {
    fn place(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or("")
    }
    fn name(&self) -> &str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

impl<'d> Converter<'d> {
    fn note(&mut self, pointer: String, message: String, hint: &'static str) {
        self.notes.push(Note {
            pointer,
            message,
            hint,
        });
    }

    fn origin(&mut self, new: String, old: String) {
        if new != old {
            self.origins.push((new, old));
        }
    }

    /// `servers` from `host`, `basePath` and `schemes` (a document without `host` is served from
    /// wherever it was read: its base path alone).
    fn servers(&mut self) -> Option<Value> {
        let host = self.doc.get("host").and_then(Value::as_str);
        let base = self
            .doc
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("");
        let base = base.trim_end_matches('/');
        let urls: Vec<Value> = match host {
            Some(host) => {
                let schemes: Vec<&str> = match self.doc.get("schemes") {
                    Some(Value::Array(list)) if !list.is_empty() => {
                        list.iter().filter_map(Value::as_str).collect()
                    }
                    _ => vec!["https"],
                };
                schemes
                    .iter()
                    .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
                    .collect()
            }
            None if !base.is_empty() => vec![json!({ "url": base })],
            None => return None,
        };
        let from = if host.is_some() { "/host" } else { "/basePath" };
        self.origin("/servers".into(), from.into());
        Some(Value::Array(urls))
    }

    /// A media type list (`consumes` or `produces`): the operation's, else the document's, else
    /// JSON.
    fn media_list(&self, op: Option<&Map<String, Value>>, key: &str) -> Vec<String> {
        let list = super::string_list(op.and_then(|op| op.get(key)).or_else(|| self.doc.get(key)));
        if list.is_empty() {
            vec!["application/json".into()]
        } else {
            list
        }
    }

    fn security_scheme(&mut self, scheme: &Value, at: &str) -> Value {
        let Value::Object(map) = scheme else {
            return scheme.clone();
        };
        let mut out = Map::new();
        let kind = map.get("type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "basic" => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            "oauth2" => {
                out.insert("type".into(), json!("oauth2"));
                let flow = map.get("flow").and_then(Value::as_str).unwrap_or("");
                let name = match flow {
                    "implicit" => "implicit",
                    "password" => "password",
                    "application" => "clientCredentials",
                    "accessCode" => "authorizationCode",
                    other => {
                        self.note(
                            format!("{at}/flow"),
                            format!("OAuth2 flow `{other}` is not one of Swagger 2.0's four"),
                            "the scheme has no flow: requests carry the token the user sets",
                        );
                        ""
                    }
                };
                let mut details = Map::new();
                for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(v) = map.get(key) {
                        details.insert(key.into(), v.clone());
                    }
                }
                if !details.contains_key("scopes") {
                    details.insert("scopes".into(), json!({}));
                }
                let flows = if name.is_empty() {
                    Map::new()
                } else {
                    Map::from_iter([(name.to_owned(), Value::Object(details))])
                };
                out.insert("flows".into(), Value::Object(flows));
            }
            _ => {
                for key in ["type", "name", "in"] {
                    if let Some(v) = map.get(key) {
                        out.insert(key.into(), v.clone());
                    }
                }
            }
        }
        for (key, value) in map {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    /// The document's `parameters`: those that stay parameters (body and form ones become part of
    /// each request body that refers to them).
    fn shared_parameters(&mut self, value: &'d Value) -> Value {
        map_entries(value, |name, param| {
            let Value::Object(map) = param else {
                return Some(param.clone());
            };
            let at = format!("/parameters/{}", escape_token(name));
            let new_at = format!("/components/parameters/{}", escape_token(name));
            // Body and form parameters are inlined where this document refers to them; they stay
            // as written for references from other files, which the lowering reports.
            if matches!(
                map.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                self.origin(new_at, at);
                return Some(param.clone());
            }
            Some(self.parameter(map, &at, &new_at))
        })
    }

    /// A parameter that stays one: its value keywords become its `schema`, its `collectionFormat`
    /// its `style` and `explode`.
    fn parameter(&mut self, param: &Map<String, Value>, at: &str, new_at: &str) -> Value {
        if param.contains_key("$ref") {
            return Value::Object(param.clone());
        }
        let place = param.get("in").and_then(Value::as_str).unwrap_or("");
        let mut out = Map::new();
        for (key, value) in param {
            if !VALUE_KEYWORDS.contains(&key.as_str()) && key != "collectionFormat" {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("schema".into(), self.value_schema(param, at));
        self.origin(format!("{new_at}/schema"), at.to_owned());
        if let Some((style, explode)) = self.layout(param, at, place) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        Value::Object(out)
    }

    /// The 3.0 `style` and `explode` of an array parameter or form field, from its
    /// `collectionFormat` (csv when absent).
    fn layout(
        &mut self,
        param: &Map<String, Value>,
        at: &str,
        place: &str,
    ) -> Option<(&'static str, bool)> {
        if param.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = param
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let query_like = matches!(place, "query" | "formData");
        let layout = match (format, query_like) {
            ("csv", true) => ("form", false),
            ("multi", true) => ("form", true),
            ("ssv", true) => ("spaceDelimited", false),
            ("pipes", true) => ("pipeDelimited", false),
            ("csv", false) => ("simple", false),
            (other, _) => {
                let message = if other == "multi" || other == "ssv" || other == "pipes" {
                    format!("`collectionFormat: {other}` is only for query and form parameters")
                } else if other == "tsv" {
                    "`collectionFormat: tsv` has no OpenAPI 3 equivalent".to_owned()
                } else {
                    format!("`collectionFormat: {other}` is not one of Swagger 2.0's")
                };
                self.note(
                    format!("{at}/collectionFormat"),
                    message,
                    "the values are sent comma-separated (csv)",
                );
                if query_like {
                    ("form", false)
                } else {
                    ("simple", false)
                }
            }
        };
        Some(layout)
    }

    /// The schema a parameter, header or items object's value keywords describe.
    fn value_schema(&mut self, object: &Map<String, Value>, at: &str) -> Value {
        let mut out = Map::new();
        for key in VALUE_KEYWORDS {
            let Some(value) = object.get(*key) else {
                continue;
            };
            match (*key, value) {
                ("type", Value::String(t)) if t == "file" => {
                    out.insert("type".into(), json!("string"));
                    out.insert("format".into(), json!("binary"));
                }
                ("items", Value::Object(items)) => {
                    let items_at = format!("{at}/items");
                    if items.contains_key("collectionFormat") {
                        self.note(
                            format!("{items_at}/collectionFormat"),
                            "the `collectionFormat` of nested items has no OpenAPI 3 equivalent"
                                .into(),
                            "the inner values are laid out as the outer ones",
                        );
                    }
                    let inner = if items.contains_key("$ref") {
                        schema(value)
                    } else {
                        self.value_schema(items, &items_at)
                    };
                    out.insert("items".into(), inner);
                }
                _ => {
                    if !(*key == "format" && out.contains_key("format")) {
                        out.insert((*key).into(), value.clone());
                    }
                }
            }
        }
        for (key, value) in object {
            if key == "x-nullable" && value == &Value::Bool(true) {
                out.insert("nullable".into(), Value::Bool(true));
            }
        }
        Value::Object(out)
    }

    fn paths(&mut self, paths: &'d Value) -> Value {
        let Value::Object(map) = paths else {
            return paths.clone();
        };
        let mut out = Map::new();
        for (path, item) in map {
            let at = format!("/paths/{}", escape_token(path));
            out.insert(path.clone(), self.path_item(item, &at));
        }
        Value::Object(out)
    }

    /// A path item: its parameters that stay parameters stay on it; its body and form parameters
    /// join each operation's body.
    fn path_item(&mut self, item: &'d Value, at: &str) -> Value {
        let Value::Object(map) = item else {
            return item.clone();
        };
        let shared = self.params(map.get("parameters"), &format!("{at}/parameters"));
        let mut out = Map::new();
        for (key, value) in map {
            let method_at = format!("{at}/{}", escape_token(key));
            match (key.as_str(), value) {
                ("parameters", _) => {
                    let kept = self.kept_params(&shared, at);
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Array(kept));
                    }
                }
                (method, Value::Object(op)) if METHODS.contains(&method) => {
                    out.insert(key.clone(), self.operation(op, &shared, &method_at));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// The entries of a `parameters` list, each resolved when it is a local `$ref`.
    fn params(&mut self, list: Option<&'d Value>, at: &str) -> Vec<Param<'d>> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let entry_at = format!("{at}/{i}");
            let Value::Object(map) = entry else {
                continue;
            };
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"));
            match target {
                Some(name) => {
                    let name = super::unescape_token(name);
                    match self.doc.get("parameters").and_then(|p| p.get(&name)) {
                        Some(Value::Object(value)) => out.push(Param {
                            value,
                            at: format!("/parameters/{}", escape_token(&name)),
                            entry_at,
                            reference: Some(entry),
                        }),
                        // Left as written: the reference is reported where it is resolved.
                        _ => out.push(Param {
                            value: map,
                            at: entry_at.clone(),
                            entry_at,
                            reference: Some(entry),
                        }),
                    }
                }
                None => out.push(Param {
                    value: map,
                    at: entry_at.clone(),
                    entry_at,
                    reference: map.contains_key("$ref").then_some(entry),
                }),
            }
        }
        out
    }

    /// The parameters that stay parameters, converted, in order, with their 2.0 places recorded.
    fn kept_params(&mut self, own: &[Param<'d>], at: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for param in own {
            if matches!(param.place(), "body" | "formData") {
                continue;
            }
            let new_at = format!("{at}/parameters/{}", out.len());
            let value = match param.reference {
                Some(reference) => reference.clone(),
                None => self.parameter(param.value, &param.at, &new_at),
            };
            self.origin(new_at, param.entry_at.clone());
            out.push(value);
        }
        out
    }

    fn operation(&mut self, op: &'d Map<String, Value>, shared: &[Param<'d>], at: &str) -> Value {
        let own = self.params(op.get("parameters"), &format!("{at}/parameters"));
        // A path item's body or form parameter applies unless the operation has one of the same
        // name and place.
        let inherited: Vec<&Param<'d>> = shared
            .iter()
            .filter(|p| matches!(p.place(), "body" | "formData"))
            .filter(|p| {
                !own.iter()
                    .any(|o| o.name() == p.name() && o.place() == p.place())
            })
            .collect();
        let mut body_params: Vec<&Param<'d>> = inherited;
        body_params.extend(
            own.iter()
                .filter(|p| matches!(p.place(), "body" | "formData")),
        );
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "consumes" | "produces" => {}
                "parameters" => {
                    let kept = self.kept_params(&own, at);
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Array(kept));
                    }
                }
                "responses" => {
                    let produces = self.media_list(Some(op), "produces");
                    let converted = map_entries(value, |status, response| {
                        let r_at = format!("{at}/responses/{}", escape_token(status));
                        Some(self.response(response, &r_at, &r_at, &produces))
                    });
                    out.insert(key.clone(), converted);
                }
                "schemes" => self.note(
                    format!("{at}/schemes"),
                    "an operation's own `schemes` has no OpenAPI 3 equivalent".into(),
                    "the operation is sent to the document's server",
                ),
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(body) = self.request_body(op, &body_params, at) {
            out.insert("requestBody".into(), body);
        }
        Value::Object(out)
    }

    /// The request body an operation's `in: body` or `in: formData` parameters describe.
    fn request_body(
        &mut self,
        op: &Map<String, Value>,
        params: &[&Param<'d>],
        at: &str,
    ) -> Option<Value> {
        let consumes = self.media_list(Some(op), "consumes");
        let body_at = format!("{at}/requestBody");
        let (bodies, fields): (Vec<&&Param<'d>>, Vec<&&Param<'d>>) =
            params.iter().partition(|p| p.place() == "body");
        if let Some(body) = bodies.first() {
            for extra in bodies.iter().skip(1).chain(&fields) {
                self.note(
                    extra.at.clone(),
                    "an operation has one body: this parameter is besides the `in: body` one"
                        .into(),
                    "it is left out of the request",
                );
            }
            let body_schema = schema(body.value.get("schema").unwrap_or(&Value::Null));
            let mut content = Map::new();
            for media in &consumes {
                let new_at = format!("{body_at}/content/{}/schema", escape_token(media));
                self.origin(new_at, format!("{}/schema", body.at));
                content.insert(media.clone(), json!({ "schema": body_schema }));
            }
            let mut out = Map::new();
            for key in ["description", "required"] {
                if let Some(v) = body.value.get(key) {
                    out.insert(key.into(), v.clone());
                }
            }
            out.insert("content".into(), Value::Object(content));
            self.origin(body_at, body.at.clone());
            return Some(Value::Object(out));
        }
        if fields.is_empty() {
            return None;
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        let mut has_file = false;
        for field in &fields {
            let name = field.name().to_owned();
            has_file |= field.value.get("type").and_then(Value::as_str) == Some("file");
            let mut property = self.value_schema(field.value, &field.at);
            if let (Value::Object(p), Some(d)) = (&mut property, field.value.get("description")) {
                p.insert("description".into(), d.clone());
            }
            if let Some((style, explode)) = self.layout(field.value, &field.at, "formData") {
                encoding.insert(name.clone(), json!({ "style": style, "explode": explode }));
            }
            if field.value.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            properties.insert(name, property);
        }
        let forms: Vec<&String> = consumes.iter().filter(|m| is_form(m)).collect();
        let others: Vec<&String> = consumes.iter().filter(|m| !is_form(m)).collect();
        let explicit = op.contains_key("consumes") || self.doc.contains_key("consumes");
        if explicit && !others.is_empty() {
            let list: Vec<String> = others.iter().map(|m| format!("`{m}`")).collect();
            let pointer = if op.contains_key("consumes") {
                format!("{at}/consumes")
            } else {
                "/consumes".into()
            };
            self.note(
                pointer,
                format!(
                    "`consumes` lists {}, which `formData` parameters cannot be sent as",
                    list.join(", ")
                ),
                "the body is sent as a form, the only media types Swagger 2.0 allows form parameters in",
            );
        }
        let media: Vec<String> = if has_file {
            vec!["multipart/form-data".into()]
        } else if forms.is_empty() {
            vec!["application/x-www-form-urlencoded".into()]
        } else {
            forms.into_iter().cloned().collect()
        };
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let mut content = Map::new();
        for m in &media {
            let schema_at = format!("{body_at}/content/{}/schema", escape_token(m));
            for field in &fields {
                let property_at = format!("{schema_at}/properties/{}", escape_token(field.name()));
                self.origin(property_at, field.at.clone());
            }
            self.origin(schema_at, format!("{at}/parameters"));
            let mut entry = json!({ "schema": schema });
            if !encoding.is_empty() {
                entry["encoding"] = Value::Object(encoding.clone());
            }
            content.insert(m.clone(), entry);
        }
        self.origin(body_at, format!("{at}/parameters"));
        let mut out = json!({ "content": content });
        if !required.is_empty() {
            out["required"] = Value::Bool(true);
        }
        Some(out)
    }

    /// A response: its `schema` becomes `content` for each produced media type, its `examples` the
    /// matching media types' `example`, its headers 3.0 headers.
    fn response(&mut self, response: &Value, at: &str, new_at: &str, produces: &[String]) -> Value {
        let Value::Object(map) = response else {
            return response.clone();
        };
        if map.contains_key("$ref") {
            return response.clone();
        }
        let mut out = Map::new();
        let mut content = Map::new();
        if let Some(body) = map.get("schema") {
            let converted = schema(body);
            for media in produces {
                let media_at = format!("{new_at}/content/{}", escape_token(media));
                self.origin(format!("{media_at}/schema"), format!("{at}/schema"));
                content.insert(media.clone(), json!({ "schema": converted }));
            }
        }
        if let Some(Value::Object(examples)) = map.get("examples") {
            for (media, example) in examples {
                match content.get_mut(media) {
                    Some(Value::Object(entry)) => {
                        entry.insert("example".into(), example.clone());
                        let media_at = format!("{new_at}/content/{}", escape_token(media));
                        let example_at = format!("{at}/examples/{}", escape_token(media));
                        self.origin(format!("{media_at}/example"), example_at);
                    }
                    _ => self.note(
                        format!("{at}/examples/{}", escape_token(media)),
                        format!("an example for `{media}`, which the response does not produce"),
                        "the example is left out",
                    ),
                }
            }
        }
        for (key, value) in map {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    let converted = map_entries(value, |name, header| {
                        let Value::Object(header) = header else {
                            return Some(header.clone());
                        };
                        let h_at = format!("{at}/headers/{}", escape_token(name));
                        let h_new = format!("{new_at}/headers/{}", escape_token(name));
                        let mut entry = Map::new();
                        if let Some(d) = header.get("description") {
                            entry.insert("description".into(), d.clone());
                        }
                        entry.insert("schema".into(), self.value_schema(header, &h_at));
                        self.origin(format!("{h_new}/schema"), h_at);
                        Some(Value::Object(entry))
                    });
                    out.insert(key.clone(), converted);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }
}

fn is_form(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        || media.eq_ignore_ascii_case("multipart/form-data")
}

/// Each entry of a map converted (or left out where `f` says `None`); a non-map as it is.
fn map_entries(value: &Value, mut f: impl FnMut(&str, &Value) -> Option<Value>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), f(k, v)?)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn map_values(value: &Value, f: fn(&Value) -> Value) -> Value {
    map_entries(value, |_, v| Some(f(v)))
}

/// A 2.0 schema in its 3.0 spelling: `x-nullable: true` is `nullable: true`, a `discriminator` that
/// names a property is `{propertyName: …}`, `type: file` is a binary string.
fn schema(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(schema).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                let converted = match (key.as_str(), child) {
                    ("properties" | "patternProperties" | "definitions", _) => {
                        map_values(child, schema)
                    }
                    ("x-nullable", Value::Bool(nullable)) => {
                        out.insert("nullable".into(), Value::Bool(*nullable));
                        continue;
                    }
                    ("discriminator", Value::String(name)) => json!({ "propertyName": name }),
                    ("type", Value::String(t)) if t == "file" => {
                        out.insert("format".into(), json!("binary"));
                        json!("string")
                    }
                    (k, _) if DATA_KEYWORDS.contains(&k) || k.starts_with("x-") => child.clone(),
                    _ => schema(child),
                };
                out.insert(key.clone(), converted);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}
