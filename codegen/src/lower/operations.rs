//! OpenAPI operations: servers, security, parameters with their constraints, response bodies, and
//! the `x-pagination` extension.

use super::example::{self, Fill};
use super::schema::{description, Lowerer};
use super::{
    AnswerNode, BodyKindNode, BodyNode, HeaderNode, Hint, Kind, OpNode, PaginationNode, ParamNode,
    StatusNode, Ty,
};
use crate::diag::{Diagnostic, LeftOut};
use crate::ir::{self, Constraints, ParamLocation, Security, Style, WebhookSource};
use crate::names::{ident, Case};
use crate::source::SchemaRef;
use serde_json::{Map, Value};

const SKIPPED: &str = "requests leave this parameter out; the rest of the operation is unaffected";
const BODY_SKIPPED: &str = "requests send no body; the rest of the operation is unaffected";

pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Lowerer<'_> {
    /// Lowers the servers, security and operations of an OpenAPI document.
    pub fn openapi(&mut self, root: &SchemaRef) {
        let module = self.sources.docs[root.doc].module.clone();
        let api = self.api(root);
        self.apis.push((module.clone(), api));
        self.webhooks(&module, &root.child("webhooks"), WebhookSource::Webhooks);
        self.webhooks(&module, &root.child("x-webhooks"), WebhookSource::XWebhooks);
        let paths = root.child("paths");
        let path_keys: Vec<String> = match self.sources.get(&paths) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        for path in &path_keys {
            // A path item may itself be a `$ref` (to `components/pathItems` or another file).
            let item_at = self.follow_refs(&paths.child(path));
            let Some(Value::Object(item)) = self.sources.get(&item_at) else {
                continue;
            };
            for method in METHODS {
                if item.contains_key(*method) {
                    let op = self.operation(&module, root, path, method, &item_at);
                    let callbacks = item_at.child(method).child("callbacks");
                    self.callbacks(&module, &op.id, &callbacks);
                    self.operations.push(op);
                }
            }
        }
        self.distinct_event_keys(&module);
        let has_events = self.webhooks.iter().any(|w| w.module == module);
        let signature_at = root.child("x-webhook-signature");
        if !has_events && self.sources.get(&signature_at).is_some() {
            self.warn_with(
                &signature_at,
                "`x-webhook-signature` names how webhooks are signed, and the document has none",
                "no `webhooks::verifier` is generated",
            );
        }
    }

    fn api(&mut self, root: &SchemaRef) -> ir::Api {
        let doc = &self.sources.docs[root.doc].root;
        let base_url = doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .and_then(absolute_server);
        let schemes_at = self.components_map(&root.child("components").child("securitySchemes"));
        let names: Vec<String> = match self.sources.get(&schemes_at) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let mut schemes = Vec::new();
        for name in names {
            let at = self.follow_refs(&schemes_at.child(&name));
            let sources = self.sources;
            let scheme = sources.get(&at).unwrap_or(&Value::Null);
            let Some(mut kind) = security_kind(scheme) else {
                let field = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or_default();
                let (kind, how, place) = (field("type"), field("scheme"), field("in"));
                let message =
                    format!("security scheme `{name}` ({kind} {how} {place}) is not supported");
                self.warn_with(
                    &at,
                    message,
                    "operations that need only it fail to build their request; credentials \
                     can still be sent as header parameters",
                );
                continue;
            };
            if let Security::ClientCredentials { token_url, json } = &mut kind {
                *json = token_operation_takes_json(doc, token_url);
            }
            schemes.push(ir::SecurityScheme {
                fn_name: ident(&name, Case::Snake),
                doc: description(scheme),
                name,
                kind,
            });
        }
        schemes.sort_by(|a, b| a.name.cmp(&b.name));
        let wanted: Vec<(String, String)> = schemes
            .iter()
            .map(|s| (s.name.clone(), s.fn_name.clone()))
            .collect();
        let fn_names = crate::names::disambiguate(&wanted, &[], Case::Snake);
        for (scheme, fn_name) in schemes.iter_mut().zip(fn_names) {
            scheme.fn_name = fn_name;
        }
        let default_scheme = doc
            .get("security")
            .and_then(Value::as_array)
            .and_then(|reqs| {
                reqs.iter()
                    .find_map(|r| r.as_object().and_then(|o| o.keys().next()))
            })
            .filter(|name| schemes.iter().any(|s| s.name == **name))
            .cloned();
        let signature_at = root.child("x-webhook-signature");
        let signature = match doc
            .get("x-webhook-signature")
            .map(super::webhooks::signature)
        {
            Some(Ok(signature)) => Some(signature),
            Some(Err(problem)) => {
                let message = format!("`x-webhook-signature`: {problem}");
                self.warn_with(
                    &signature_at,
                    message,
                    "no `webhooks::verifier` is generated; build a `webhook::Verifier` in code",
                );
                None
            }
            None => None,
        };
        ir::Api {
            origin: self.sources.docs[root.doc].rel_path.clone(),
            base_url,
            schemes,
            default_scheme,
            signature,
        }
    }

    /// The security requirements of an operation (its own `security`, else the document's): each
    /// requirement's scheme names, sorted, and the OAuth 2.0 scopes it names for its `oauth2`
    /// schemes, sorted.
    fn security(
        &mut self,
        root: &SchemaRef,
        op_at: &SchemaRef,
    ) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let own = op_at.child("security");
        let at = if self.sources.get(&own).is_some() {
            own
        } else {
            root.child("security")
        };
        let sources = self.sources;
        let Some(list) = sources.get(&at) else {
            return (Vec::new(), Vec::new());
        };
        let Value::Array(list) = list else {
            self.warn_with(
                &at,
                "expected `security` to be an array of requirements",
                "the operation sends no credentials",
            );
            return (Vec::new(), Vec::new());
        };
        // A map that is a `$ref` is followed (`api` warns about it).
        let declared = self.follow_refs(&root.child("components").child("securitySchemes"));
        let (mut requirements, mut all_scopes) = (Vec::new(), Vec::new());
        for (i, requirement) in list.iter().enumerate() {
            let entries = requirement.as_object();
            let mut names: Vec<String> = entries
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            names.sort();
            let mut scopes = Vec::new();
            for name in &names {
                if self.sources.get(&declared.child(name)).is_none() {
                    let message = format!(
                            "the security requirement names `{name}`, which `components/securitySchemes` \
                             does not declare"
                        );
                    self.warn_with(
                        &at.child(&i.to_string()),
                        message,
                        "a request that needs it fails to build, naming the scheme",
                    );
                    continue;
                }
                let scheme = self.sources.get(&self.follow_refs(&declared.child(name)));
                if scheme.and_then(|s| s.get("type")) == Some(&Value::from("oauth2")) {
                    let named = entries.and_then(|o| o.get(name)).and_then(Value::as_array);
                    scopes.extend(
                        named
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(str::to_owned),
                    );
                }
            }
            scopes.sort();
            scopes.dedup();
            requirements.push(names);
            all_scopes.push(scopes);
        }
        (requirements, all_scopes)
    }

    fn operation(
        &mut self,
        module: &str,
        root: &SchemaRef,
        path: &str,
        method: &str,
        item_at: &SchemaRef,
    ) -> OpNode {
        let at = item_at.child(method);
        let op = self.sources.get(&at).unwrap_or(&Value::Null);
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let id = id.unwrap_or_else(|| format!("{method} {path}"));
        let doc = summary_and_description(op);
        let tags = crate::source::string_list(op.get("tags"));
        let mut params: Vec<ParamNode> = Vec::new();
        // Path-level parameters first, then the operation's, which replace them by name and place.
        for entry in self.sources.parameter_entries(item_at, &at) {
            if let Some(param) = self.parameter(&id, &entry) {
                params
                    .retain(|p| !(p.wire_name == param.wire_name && p.location == param.location));
                params.push(param);
            }
        }
        self.match_placeholders(path, &at, &mut params);
        let body = self.request_body(&id, &at.child("requestBody"));
        let server = self.operation_server(item_at, &at);
        let (security, scopes) = self.security(root, &at);
        let answers = self.responses(&id, &at.child("responses"));
        let pagination = op.get("x-pagination").and_then(Value::as_object).map(|p| {
            let field = |k: &str| {
                p.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            PaginationNode {
                offset: field("offset"),
                limit: field("limit"),
                items: field("items"),
                has_next: field("hasNext"),
                at: at.child("x-pagination"),
            }
        });
        OpNode {
            module: module.to_owned(),
            id,
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            doc,
            tags,
            params,
            body,
            security,
            scopes,
            responses: answers.successes,
            errors: answers.errors,
            headers: answers.headers,
            pagination,
            server,
        }
    }

    /// The first of the operation's `servers`, else of its path's: an absolute URL, used as it
    /// is; one with variables or a relative one is warned about, and requests go to the API's.
    fn operation_server(&mut self, item_at: &SchemaRef, op_at: &SchemaRef) -> Option<String> {
        let at = [op_at, item_at]
            .into_iter()
            .map(|owner| owner.child("servers"))
            .find(|at| self.sources.get(at).is_some())?;
        let url = self
            .sources
            .get(&at.child("0").child("url"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let root = &self.sources.docs[op_at.doc].root;
        let default = root.pointer("/servers/0/url").and_then(Value::as_str);
        let problem = match (absolute_server(url), default.and_then(absolute_server)) {
            (Some(server), Some(_)) => return Some(server),
            (None, _) => format!("the server `{url}` is not an absolute URL without variables"),
            (Some(_), None) => format!(
                "the server `{url}` is the operation's own, and the document has no absolute \
                 server of its own to tell it from one a user chose"
            ),
        };
        self.warn_with(
            &at,
            problem,
            "requests of this operation go to the API's base URL",
        );
        None
    }

    /// Makes the path parameters and the path template agree, repairing what the document got
    /// wrong: a placeholder without a parameter gets a required string parameter, unless exactly one
    /// declared path parameter is missing from the template (then that one is bound to it); a path
    /// parameter the template does not name is left out.
    fn match_placeholders(&mut self, path: &str, at: &SchemaRef, params: &mut Vec<ParamNode>) {
        let names = placeholders(path);
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|name| {
                !params
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && p.wire_name == *name)
            })
            .collect();
        let unused: Vec<usize> = (0..params.len())
            .filter(|&i| {
                params[i].location == ParamLocation::Path
                    && !names.contains(&params[i].wire_name.as_str())
            })
            .collect();
        if let ([name], [index]) = (missing.as_slice(), unused.as_slice()) {
            let param = &mut params[*index];
            let message = format!(
                "the path has `{{{name}}}` but no path parameter `{name}`; the one path parameter \
                 the path does not name, `{}`, is taken for it",
                param.wire_name
            );
            param.wire_name = (*name).to_owned();
            self.warn_with(
                at,
                message,
                "rename the parameter or the placeholder so they match",
            );
            return;
        }
        for name in missing {
            let message = format!("the path has `{{{name}}}` but no path parameter `{name}`");
            self.warn_with(
                at,
                message,
                "it is taken as a required string path parameter; declare it under `parameters` with `\"in\": \"path\"`",
            );
            params.push(ParamNode {
                name: name.to_owned(),
                wire_name: name.to_owned(),
                location: ParamLocation::Path,
                required: true,
                doc: None,
                ty: Ty::String,
                constant: None,
                constraints: Constraints::default(),
                style: Style::Simple,
                explode: false,
                example: Value::String("example".to_owned()),
            });
        }
        for index in unused.into_iter().rev() {
            let param = params.remove(index);
            let message = format!(
                "path parameter `{}` is not in the path `{path}`",
                param.wire_name
            );
            self.leave_out(at, LeftOut::Parameter, message, SKIPPED);
        }
    }

    fn parameter(&mut self, op_id: &str, at: &SchemaRef) -> Option<ParamNode> {
        let at = self.follow_refs(at);
        let param = self.sources.get(&at)?.as_object()?.clone();
        if let Some(Value::String(reference)) = param.get("$ref") {
            // `follow_refs` stops at a reference that leads nowhere: say where it points.
            if let Err(d) = self.sources.resolve(&at, reference) {
                let message = format!("{}; the parameter is left out", d.message);
                self.leave_out(&at, LeftOut::Parameter, message, SKIPPED);
                return None;
            }
        }
        let wire_name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            Some(place @ ("body" | "formData")) => {
                let message = format!(
                    "a Swagger 2.0 `{place}` parameter reached by a `$ref` from another file is not supported yet"
                );
                let hint = "the operation is generated without this body; move the parameter into the document that uses it";
                self.leave_out(&at, LeftOut::Body, message, hint);
                return None;
            }
            other => {
                let place = other.unwrap_or("nowhere");
                let message = format!("parameter `{wire_name}` in {place} is not supported");
                self.leave_out(&at, LeftOut::Parameter, message, SKIPPED);
                return None;
            }
        };
        let schema_at = at.child("schema");
        if self.sources.get(&schema_at).is_none() {
            let message = format!("parameter `{wire_name}` has no `schema`");
            self.warn_with(&at, message, "it is sent as a string");
        }
        let required =
            location == ParamLocation::Path || param.get("required") == Some(&Value::Bool(true));
        let resolved = self.follow_refs(&schema_at);
        let schema = self
            .sources
            .get(&resolved)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // A required parameter with one allowed value is always sent with it: it needs no type.
        let constant =
            super::schema::single_string(&Value::Object(schema.clone())).filter(|_| required);
        let ty = if constant.is_some() || self.sources.get(&schema_at).is_none() {
            Ty::String
        } else {
            let hint = Hint::top(false, format!("{op_id} {}", ident(&wire_name, Case::Camel)));
            // Parameters are checked by `build` against their constraints: the plain type, also
            // for everything a parameter schema refers to.
            self.plain_mode(|this| this.shape_with(&schema_at, &hint, 0).ty)
        };
        let (style, explode) = self.style(&at, &param, location);
        if let Some(Value::String(pattern)) = schema.get("pattern") {
            self.check_pattern(&resolved.child("pattern"), pattern);
        }
        Some(ParamNode {
            name: wire_name.clone(),
            wire_name,
            location,
            required,
            doc: description(&Value::Object(param)),
            ty,
            constant,
            constraints: constraints(&schema),
            style,
            explode,
            example: example::parameter_example(self.sources, &at)
                .unwrap_or_else(|| example::example(self.sources, &schema_at, Fill::All)),
        })
    }

    /// A parameter's (or form field's) `style` and `explode`, with OpenAPI's defaults for its place.
    fn style(
        &mut self,
        at: &SchemaRef,
        object: &Map<String, Value>,
        location: ParamLocation,
    ) -> (Style, bool) {
        let default = match location {
            ParamLocation::Query | ParamLocation::Cookie => Style::Form,
            ParamLocation::Path | ParamLocation::Header => Style::Simple,
        };
        let style = match object.get("style").and_then(Value::as_str) {
            None => default,
            Some("form") => Style::Form,
            Some("simple") => Style::Simple,
            Some("deepObject") => Style::DeepObject,
            Some("spaceDelimited") => Style::SpaceDelimited,
            Some("pipeDelimited") => Style::PipeDelimited,
            Some(other) => {
                let message = format!("style `{other}` is not supported");
                let hint = format!(
                    "the value is laid out in the default style for its place ({default:?})"
                );
                self.warn_with(&at.child("style"), message, &hint);
                default
            }
        };
        let explode = object
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == Style::Form);
        if object.get("allowReserved") == Some(&Value::Bool(true)) {
            self.warn_with(
                &at.child("allowReserved"),
                "`allowReserved` is not supported",
                "reserved characters in the value are percent-encoded",
            );
        }
        (style, explode)
    }

    /// The request body: each media type with its type and how it is encoded.
    pub(super) fn request_body(&mut self, op_id: &str, at: &SchemaRef) -> Option<BodyNode> {
        self.sources.get(at)?;
        let at = self.follow_refs(at);
        let sources = self.sources;
        let Some(value @ Value::Object(body)) = sources.get(&at) else {
            let message = "expected the request body to be an object with `content`";
            self.leave_out(&at, LeftOut::Body, message, BODY_SKIPPED);
            return None;
        };
        let content_at = at.child("content");
        let media_types: Vec<String> = match body.get("content") {
            Some(Value::Object(content)) if !content.is_empty() => {
                content.keys().cloned().collect()
            }
            _ => {
                let message = "the request body lists no media type under `content`";
                self.leave_out(&at, LeftOut::Body, message, BODY_SKIPPED);
                return None;
            }
        };
        let several = media_types.len() > 1;
        let mut contents = Vec::new();
        let mut examples = Vec::new();
        for media in media_types {
            let media_at = content_at.child(&media);
            let schema_at = media_at.child("schema");
            let kind = media_kind(&media);
            let text = if several {
                format!("{op_id} {kind:?} Body")
            } else {
                format!("{op_id} Body")
            };
            let hint = Hint::top(false, text);
            let has_schema = self.sources.get(&schema_at).is_some();
            // Bodies are checked by the server, not by `build`: the plain types.
            let shape = |this: &mut Self, default: Ty| {
                if has_schema {
                    this.plain_mode(|this| this.shape_with(&schema_at, &hint, 0).ty)
                } else {
                    default
                }
            };
            let node = match kind {
                MediaKind::Json => BodyKindNode::Json(shape(self, Ty::Json)),
                MediaKind::Form => {
                    let ty = shape(self, Ty::JsonObject);
                    BodyKindNode::Form(ty, self.encoding(&media_at))
                }
                MediaKind::Multipart => {
                    let ty = shape(self, Ty::JsonObject);
                    let ty = self.with_parts(ty, &schema_at, &hint);
                    BodyKindNode::Multipart(ty, self.encoding(&media_at))
                }
                MediaKind::Text => BodyKindNode::Text,
                MediaKind::Bytes => BodyKindNode::Bytes,
            };
            examples.push(ir::BodyExample {
                required: example::example(sources, &schema_at, Fill::Required),
                all: example::example(sources, &schema_at, Fill::All),
            });
            contents.push((media, node));
        }
        Some(BodyNode {
            required: body.get("required") == Some(&Value::Bool(true)),
            doc: description(value),
            contents,
            examples,
        })
    }

    /// The `encoding` object of a form or multipart body.
    fn encoding(&mut self, media_at: &SchemaRef) -> Vec<ir::FieldEncoding> {
        let at = media_at.child("encoding");
        let sources = self.sources;
        let Some(Value::Object(map)) = sources.get(&at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let no_entry = serde_json::Map::new();
        for (name, entry) in map {
            let entry_at = at.child(name);
            let entry = entry.as_object().unwrap_or(&no_entry);
            for keyword in ["contentType", "headers"] {
                if entry.contains_key(keyword) {
                    let message = format!("`{keyword}` of a field's encoding is not supported");
                    self.warn_with(
                        &entry_at.child(keyword),
                        message,
                        "the field is sent as its style lays it out, without its own content type or headers",
                    );
                }
            }
            let (style, explode) = self.style(&entry_at, entry, ParamLocation::Query);
            out.push(ir::FieldEncoding {
                wire_name: name.clone(),
                style,
                explode,
            });
        }
        out.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        out
    }

    /// A multipart body's struct, with every plain string property a `Part` (text or a file: a
    /// multipart field may carry either, and documents often type a file as a plain string).
    fn with_parts(&mut self, ty: Ty, schema_at: &SchemaRef, hint: &Hint) -> Ty {
        let Ty::Named(id) = ty else { return ty };
        let Kind::Struct { fields, .. } = &self.nodes[id].kind else {
            return ty;
        };
        if !fields.iter().any(|f| f.ty == Ty::String) {
            return ty;
        }
        // A struct defined elsewhere keeps its string fields there: the body gets its own copy.
        let own = self.nodes[id].origin.doc == schema_at.doc
            && self.nodes[id]
                .origin
                .pointer
                .starts_with(&schema_at.pointer);
        let id = if own {
            id
        } else {
            let mut copy = self.nodes[id].clone();
            copy.hint = hint.clone();
            self.nodes.push(copy);
            self.nodes.len() - 1
        };
        if let Kind::Struct { fields, .. } = &mut self.nodes[id].kind {
            for f in fields.iter_mut().filter(|f| f.ty == Ty::String) {
                f.ty = Ty::Part;
            }
        }
        Ty::Named(id)
    }

    /// The answers by status: the successes (2xx), the errors (every other status, the ranges and
    /// `default`), and the headers declared on any of them.
    fn responses(&mut self, op_id: &str, at: &SchemaRef) -> Answers {
        let mut answers = Answers::default();
        let Some(Value::Object(responses)) = self.sources.get(at) else {
            return answers;
        };
        let mut statuses: Vec<&String> = responses.keys().collect();
        statuses.sort();
        let mut seen: Vec<String> = Vec::new();
        for status in statuses {
            let written = status_key(status);
            if let Some(key) = written.as_ref().filter(|key| seen.contains(*key)) {
                let message =
                    format!("`{status}` is the status `{key}` given again: the answer is left out");
                self.warn_with(
                    &at.child(status),
                    message,
                    "statuses are compared without case",
                );
                continue;
            }
            let Some(written) = written else {
                let message = format!("`{status}` is not a status: the answer is left out");
                self.warn_with(
                    &at.child(status),
                    message,
                    "statuses are codes (`404`), ranges (`4XX`) or `default`",
                );
                continue;
            };
            seen.push(written.clone());
            let response_at = self.follow_refs(&at.child(status));
            let (answer, example) = self.answer(op_id, status, &response_at);
            self.response_headers(&written, &response_at, &mut answers.headers);
            let links_at = response_at.child("links");
            if self.sources.get(&links_at).is_some() {
                let message = format!("the `{written}` answer's `links` are not turned into code");
                self.warn_with(
                    &links_at,
                    message,
                    "the operations they lead to are generated on their own",
                );
            }
            let node = StatusNode {
                status: written,
                answer,
                doc: self.sources.get(&response_at).and_then(description),
                example,
            };
            if status.starts_with('2') {
                answers.successes.push(node);
            } else {
                answers.errors.push(node);
            }
        }
        // With no 2xx documented, `default` describes the successes too (it is every status the
        // document does not list).
        if answers.successes.is_empty() {
            if let Some(default) = answers.errors.iter().find(|e| e.status == "default") {
                answers.successes.push(default.clone());
            }
        }
        answers
    }

    /// Adds the headers one answer declares to `headers` (one entry per name, compared without
    /// case; `Content-Type`, which OpenAPI says is ignored there, is skipped).
    fn response_headers(
        &mut self,
        status: &str,
        response_at: &SchemaRef,
        headers: &mut Vec<HeaderNode>,
    ) {
        let headers_at = response_at.child("headers");
        let Some(Value::Object(declared)) = self.sources.get(&headers_at) else {
            return;
        };
        let names: Vec<String> = declared.keys().cloned().collect();
        for name in names {
            if name.eq_ignore_ascii_case("content-type") {
                self.warn_with(
                    &headers_at.child(&name),
                    "a `Content-Type` among a response's headers is ignored, as OpenAPI says",
                    "the answer's media type comes from its `content`",
                );
                continue;
            }
            let header_at = self.follow_refs(&headers_at.child(&name));
            let header = self.sources.get(&header_at).cloned().unwrap_or(Value::Null);
            let kind = self.header_kind(&header_at);
            let doc = description(&header);
            match headers
                .iter_mut()
                .find(|h| h.wire_name.eq_ignore_ascii_case(&name))
            {
                Some(known) => {
                    if known.kind != kind {
                        let message = format!(
                            "the header `{name}` is declared with another type on another answer"
                        );
                        self.warn_with(&header_at, message, "it is read as text");
                        known.kind = ir::HeaderKind::Text;
                    }
                    known.statuses.push(status.to_owned());
                    if known.doc.is_none() {
                        known.doc = doc;
                    }
                }
                None => headers.push(HeaderNode {
                    wire_name: name,
                    kind,
                    doc,
                    statuses: vec![status.to_owned()],
                }),
            }
        }
    }

    /// What a declared header's value is read as, by its schema's type and format; a header
    /// whose schema is no scalar (or that has none) is read as text, with a warning for the
    /// former.
    pub(super) fn header_kind(&mut self, header_at: &SchemaRef) -> ir::HeaderKind {
        let schema_at = self.follow_refs(&header_at.child("schema"));
        let Some(schema) = self.sources.get(&schema_at) else {
            let content_at = header_at.child("content");
            if self.sources.get(&content_at).is_some() {
                self.warn_with(
                    &content_at,
                    "a header described by `content` is not typed",
                    "the header is read as its text",
                );
            }
            return ir::HeaderKind::Text;
        };
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let non_null: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
        let format = schema.get("format").and_then(Value::as_str);
        match (non_null.as_slice(), format) {
            (["integer"], _) => ir::HeaderKind::Integer,
            (["number"], _) => ir::HeaderKind::Number,
            (["boolean"], _) => ir::HeaderKind::Boolean,
            (["string"], Some("date-time")) => ir::HeaderKind::DateTime,
            (["string"] | [], _) => ir::HeaderKind::Text,
            (other, _) => {
                let message = format!(
                    "the header's schema is of type {}, not a scalar",
                    other.join(", ")
                );
                self.warn_with(&schema_at, message, "the header is read as its text");
                ir::HeaderKind::Text
            }
        }
    }

    /// What one answer's body is read as: JSON when it offers JSON, else text or bytes by its media
    /// type; media types besides the one read are warned about.
    /// What an answer is read as, and, for a JSON one with a schema, an example of it.
    fn answer(
        &mut self,
        op_id: &str,
        status: &str,
        response_at: &SchemaRef,
    ) -> (AnswerNode, Option<Value>) {
        let content_at = response_at.child("content");
        let media_types: Vec<String> = match self.sources.get(&content_at) {
            Some(Value::Object(content)) => content.keys().cloned().collect(),
            _ => return (AnswerNode::Empty, None),
        };
        let rank = |m: &String| match media_kind(m) {
            MediaKind::Json => 0,
            MediaKind::Text => 1,
            _ => 2,
        };
        let Some(media) = media_types.iter().min_by_key(|m| rank(m)).cloned() else {
            return (AnswerNode::Empty, None);
        };
        // HTTP says these statuses carry no content (RFC 9110, 15.3.5, 15.3.6, 15.4.5): a body
        // the document gives one is never sent, and reading it would fail every real answer.
        if matches!(status, "204" | "205" | "304") {
            self.warn_with(
                &content_at,
                format!("the `{status}` answer has content, and HTTP says a `{status}` has none"),
                "it is read as an answer without a body",
            );
            return (AnswerNode::Empty, None);
        }
        let others: Vec<&str> = media_types
            .iter()
            .filter(|m| **m != media)
            .map(String::as_str)
            .collect();
        if !others.is_empty() {
            let message = format!(
                "the `{status}` answer is read as `{media}`; it may also come as {}",
                others.join(", ")
            );
            self.warn_with(
                &content_at,
                message,
                "requests ask for no media type; an answer in another one fails to decode and keeps its bytes",
            );
        }
        match media_kind(&media) {
            MediaKind::Json => {}
            MediaKind::Text => return (AnswerNode::Text, None),
            _ => return (AnswerNode::Bytes, None),
        }
        let schema_at = content_at.child(&media).child("schema");
        if self.sources.get(&schema_at).is_none() {
            return (AnswerNode::Json(Ty::Json), None);
        }
        let hint = Hint::top(false, format!("{op_id} {status} Response"));
        let shape = self.shape_with(&schema_at, &hint, 0);
        let example = self
            .answer_examples
            .then(|| example::answer_example(self.sources, &schema_at));
        (
            AnswerNode::Json(super::schema::nullable_value(shape)),
            example,
        )
    }
}

/// A server URL requests can be sent to as it is (`http(s)://`, no variables), without its
/// trailing `/`.
fn absolute_server(url: &str) -> Option<String> {
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    (absolute && !url.contains('{')).then(|| url.trim_end_matches('/').to_owned())
}

/// The doc of an operation or an event's request: its `summary`, then its `description`.
pub(super) fn summary_and_description(request: &Value) -> Option<String> {
    let doc = [request.get("summary"), request.get("description")]
        .iter()
        .filter_map(|v| v.and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    (!doc.is_empty()).then_some(doc)
}

/// A `responses` key as the generated code writes it: a code (`404`), a range in capitals (`4XX`),
/// or `default`; `None` for anything else.
fn status_key(status: &str) -> Option<String> {
    if status == "default" {
        return Some(status.to_owned());
    }
    let bytes = status.as_bytes();
    let valid = bytes.len() == 3
        && (b'1'..=b'5').contains(&bytes[0])
        && (bytes[1..].iter().all(u8::is_ascii_digit)
            || bytes[1..].iter().all(|b| b.eq_ignore_ascii_case(&b'x')));
    valid.then(|| status.to_ascii_uppercase())
}

/// An operation's answers, as [`Lowerer::responses`] reads them.
#[derive(Default)]
struct Answers {
    successes: Vec<StatusNode>,
    errors: Vec<StatusNode>,
    headers: Vec<HeaderNode>,
}

/// `{name}` placeholders of a path template.
pub(super) fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// How a media type is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

fn media_kind(media: &str) -> MediaKind {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    // `application/json`, `+json`, JSON-LD (`+jsonld`): a JSON value.
    if essence.contains("json") {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("multipart/") {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

fn constraints(schema: &Map<String, Value>) -> Constraints {
    let number = |k: &str| schema.get(k).and_then(Value::as_f64);
    let length = |k: &str| schema.get(k).and_then(Value::as_u64);
    // OpenAPI 3.0 (draft 4) writes an exclusive bound as `minimum` plus `exclusiveMinimum: true`.
    let bound = |inclusive: &str, exclusive: &str| match schema.get(exclusive) {
        Some(Value::Bool(true)) => (None, number(inclusive)),
        _ => (number(inclusive), number(exclusive)),
    };
    let (minimum, exclusive_minimum) = bound("minimum", "exclusiveMinimum");
    let (maximum, exclusive_maximum) = bound("maximum", "exclusiveMaximum");
    Constraints {
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        min_length: length("minLength"),
        max_length: length("maxLength"),
        pattern: schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

/// Resolves `x-pagination` of every operation against the finished types.
pub(super) fn resolve_pagination(
    krate: &ir::Crate,
    op: &ir::Operation,
    node: &PaginationNode,
    location: impl Fn() -> crate::diag::Location,
) -> Result<ir::Pagination, Diagnostic> {
    // The location only on failure: it needs the document's position table.
    let fail = |message: String| {
        Diagnostic::error(location(), message)
            .with_hint("`x-pagination` is {\"offset\": <query parameter>, \"limit\": <query parameter>, \"items\": <JSON pointer to the array>, \"hasNext\": <JSON pointer to the boolean>}")
    };
    let param = |wire: &str| {
        op.params
            .iter()
            .find(|p| {
                p.wire_name == wire
                    && p.location == ParamLocation::Query
                    && matches!(p.ty, ir::TypeRef::Integer(_))
            })
            .map(|p| p.name.clone())
            .ok_or_else(|| {
                fail(format!(
                    "`{wire}` is not an integer query parameter of `{}`",
                    op.id
                ))
            })
    };
    let offset_param = param(&node.offset)?;
    let limit_param = param(&node.limit)?;
    let response = op.json_response().cloned().ok_or_else(|| {
        fail(format!(
            "`{}` has no single JSON success body to read pages from",
            op.id
        ))
    })?;
    let (items, items_ty) = walk(krate, &response, &node.items).map_err(&fail)?;
    let (has_next, has_next_ty) = walk(krate, &response, &node.has_next).map_err(&fail)?;
    let ir::TypeRef::Array(item) = items_ty else {
        return Err(fail(format!("`{}` is not an array", node.items)));
    };
    if has_next_ty != ir::TypeRef::Bool {
        return Err(fail(format!("`{}` is not a boolean", node.has_next)));
    }
    Ok(ir::Pagination {
        offset_param,
        limit_param,
        items,
        has_next,
        item: *item,
    })
}

/// Follows a JSON pointer through struct fields.
fn walk(
    krate: &ir::Crate,
    from: &ir::TypeRef,
    pointer: &str,
) -> Result<(Vec<ir::FieldStep>, ir::TypeRef), String> {
    let find = |ty: &ir::TypeRef| match ty {
        ir::TypeRef::Named { module, name } => krate
            .modules
            .iter()
            .find(|m| m.name == *module)
            .and_then(|m| m.types.iter().find(|t| t.name == *name)),
        _ => None,
    };
    let mut ty = from.clone();
    let mut steps = Vec::new();
    for token in pointer.split('/').skip(1) {
        let token = crate::source::unescape_token(token);
        // A checked newtype (validating mode) holds the struct in `.0`.
        let mut newtype = false;
        let mut def = find(&ty);
        while let Some(ir::TypeDef {
            kind: ir::TypeKind::Checked(c),
            ..
        }) = def
        {
            newtype = true;
            def = find(&c.inner);
        }
        let Some(ir::TypeDef {
            kind: ir::TypeKind::Struct(s),
            name,
            ..
        }) = def
        else {
            return Err(format!("`{pointer}`: `{token}` is not inside an object"));
        };
        let Some(field) = s.fields.iter().find(|f| f.wire_name == token) else {
            return Err(format!("`{pointer}`: `{name}` has no property `{token}`"));
        };
        steps.push(ir::FieldStep {
            field: field.name.clone(),
            presence: field.presence(),
            boxed: field.boxed,
            newtype,
        });
        ty = field.ty.clone();
    }
    if let Some(ir::TypeDef {
        kind: ir::TypeKind::Checked(_),
        ..
    }) = find(&ty)
    {
        return Err(format!(
            "`{pointer}` is a checked value (validating mode); pagination reads plain arrays and booleans"
        ));
    }
    Ok((steps, ty))
}

/// Whether the document's own token operation (a `post` at the path of `token_url`, on any
/// server) takes a JSON body, as Sakari's does: then the client's id and secret go in one.
fn token_operation_takes_json(doc: &Value, token_url: &str) -> bool {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return false;
    };
    // The token URL's path, and the path every operation's path is under (the server's).
    let path_of = |url: &str| match url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or(String::new(), |i| rest[i..].to_owned()),
        None => url.to_owned(),
    };
    let token_path = path_of(token_url);
    let server_path = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .map(|url| path_of(url).trim_end_matches('/').to_owned())
        .unwrap_or_default();
    paths.iter().any(|(path, item)| {
        let content = item.pointer("/post/requestBody/content");
        (token_path == *path || token_path == format!("{server_path}{path}"))
            && content
                .and_then(Value::as_object)
                .is_some_and(|c| c.keys().any(|m| media_kind(m) == MediaKind::Json))
    })
}

/// How an OpenAPI security scheme object authenticates, if it is a kind requests can apply.
pub(crate) fn security_kind(scheme: &Value) -> Option<Security> {
    let field = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or_default();
    match (
        field("type"),
        field("scheme").to_ascii_lowercase().as_str(),
        field("in"),
    ) {
        ("oauth2", _, _) => Some(
            match scheme
                .pointer("/flows/clientCredentials/tokenUrl")
                .and_then(Value::as_str)
            {
                Some(url) if !url.is_empty() => Security::ClientCredentials {
                    token_url: url.to_owned(),
                    json: false,
                },
                _ => Security::Bearer,
            },
        ),
        ("http", "bearer", _) | ("openIdConnect", _, _) => Some(Security::Bearer),
        ("http", "basic", _) => Some(Security::Basic),
        ("apiKey", _, "header") => Some(Security::ApiKeyHeader(field("name").to_owned())),
        ("apiKey", _, "query") => Some(Security::ApiKeyQuery(field("name").to_owned())),
        _ => None,
    }
}
