//! OpenAPI operations: servers, security, parameters with their constraints, response bodies, and
//! the `x-pagination` extension.

use super::schema::Lowerer;
use super::{Hint, OpNode, PaginationNode, ParamNode, Ty};
use crate::diag::Diagnostic;
use crate::ir::{self, Constraints, ParamLocation, Security};
use crate::names::{ident, Case};
use crate::source::SchemaRef;
use serde_json::{Map, Value};

const SKIPPED: &str = "requests leave this parameter out; the rest of the operation is unaffected";

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Lowerer<'_> {
    /// Lowers the servers, security and operations of an OpenAPI document.
    pub fn openapi(&mut self, root: &SchemaRef) {
        let module = self.sources.docs[root.doc].module.clone();
        let api = self.api(root);
        self.apis.push((module.clone(), api));
        let paths = root.child("paths");
        let Some(Value::Object(path_map)) = self.sources.get(&paths).cloned() else {
            return;
        };
        for (path, item) in &path_map {
            let Value::Object(item) = item else { continue };
            let item_at = paths.child(path);
            for method in METHODS {
                if item.contains_key(*method) {
                    let op = self.operation(&module, path, method, &item_at);
                    self.operations.push(op);
                }
            }
        }
    }

    fn api(&mut self, root: &SchemaRef) -> ir::Api {
        let doc = &self.sources.docs[root.doc].root;
        let base_url = doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .filter(|u| (u.starts_with("http://") || u.starts_with("https://")) && !u.contains('{'))
            .map(|u| u.trim_end_matches('/').to_owned());
        let scheme_name = doc
            .get("security")
            .and_then(Value::as_array)
            .and_then(|reqs| {
                reqs.iter()
                    .find_map(|r| r.as_object().and_then(|o| o.keys().next()))
            })
            .cloned();
        let security = scheme_name.and_then(|name| {
            let scheme = doc.pointer(&format!(
                "/components/securitySchemes/{}",
                crate::source::escape_token(&name)
            ))?;
            let kind = scheme.get("type").and_then(Value::as_str)?;
            let field = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or_default();
            match (
                kind,
                field("scheme").to_ascii_lowercase().as_str(),
                field("in"),
            ) {
                ("http", "bearer", _) | ("oauth2" | "openIdConnect", _, _) => {
                    Some(Security::Bearer)
                }
                ("http", "basic", _) => Some(Security::Basic),
                ("apiKey", _, "header") => Some(Security::ApiKeyHeader(field("name").to_owned())),
                ("apiKey", _, "query") => Some(Security::ApiKeyQuery(field("name").to_owned())),
                _ => None,
            }
        });
        ir::Api { base_url, security }
    }

    fn operation(&mut self, module: &str, path: &str, method: &str, item_at: &SchemaRef) -> OpNode {
        let at = item_at.child(method);
        let op = self.sources.get(&at).cloned().unwrap_or(Value::Null);
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let id = id.unwrap_or_else(|| format!("{method} {path}"));
        let doc = [op.get("summary"), op.get("description")]
            .iter()
            .filter_map(|v| v.and_then(Value::as_str))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut params: Vec<ParamNode> = Vec::new();
        // Path-level parameters first, then the operation's, which replace them by name and place.
        for list in [item_at.child("parameters"), at.child("parameters")] {
            let count = self
                .sources
                .get(&list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                if let Some(param) = self.parameter(&id, &list.child(&i.to_string())) {
                    params.retain(|p| {
                        !(p.wire_name == param.wire_name && p.location == param.location)
                    });
                    params.push(param);
                }
            }
        }
        for name in placeholders(path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                self.error(
                    &at,
                    format!("the path has `{{{name}}}` but no path parameter `{name}`"),
                    "declare it under `parameters` with `\"in\": \"path\"`",
                );
            }
        }
        let (response, error) = self.responses(&id, &at.child("responses"));
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
            doc: (!doc.is_empty()).then_some(doc),
            params,
            response,
            error,
            pagination,
        }
    }

    fn parameter(&mut self, op_id: &str, at: &SchemaRef) -> Option<ParamNode> {
        let at = self.follow_refs(at);
        let param = self.sources.get(&at)?.as_object()?.clone();
        let wire_name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            other => {
                let place = other.unwrap_or("nowhere");
                let message = format!("parameter `{wire_name}` in {place} is not supported");
                self.warn_with(&at, message, SKIPPED);
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
            let hint = Hint {
                definition: false,
                text: format!("{op_id} {}", ident(&wire_name, Case::Camel)),
            };
            // Parameters are checked by `build` against their constraints: the plain type, also
            // for everything a parameter schema refers to.
            self.plain_mode(|this| this.shape_with(&schema_at, &hint, 0).ty)
        };
        let scalar = |t: &Ty| is_scalar(t) || self.is_enum(t);
        let supported = match &ty {
            Ty::Array(inner) => location == ParamLocation::Query && scalar(inner),
            ty => scalar(ty),
        };
        if !supported {
            let message = format!(
                "parameter `{wire_name}` is not a scalar (or, in a query, an array of scalars)"
            );
            self.warn_with(&schema_at, message, SKIPPED);
            return None;
        }
        if let Some(Value::String(pattern)) = schema.get("pattern") {
            self.check_pattern(&resolved.child("pattern"), pattern);
        }
        Some(ParamNode {
            wire_name,
            location,
            required,
            doc: param
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            ty,
            constant,
            constraints: constraints(&schema),
        })
    }

    /// The success body type, and the error body type shared by the other documented answers.
    fn responses(&mut self, op_id: &str, at: &SchemaRef) -> (Option<Ty>, Ty) {
        let Some(Value::Object(responses)) = self.sources.get(at).cloned() else {
            return (None, Ty::Json);
        };
        let mut statuses: Vec<&String> = responses.keys().collect();
        statuses.sort();
        let mut success: Option<Option<Ty>> = None;
        let mut errors: Vec<Ty> = Vec::new();
        for status in statuses {
            let response_at = self.follow_refs(&at.child(status));
            let body = self.body(op_id, status, &response_at);
            if status.starts_with('2') {
                // The first 2xx answer with a JSON body gives the success type.
                if success.as_ref().is_none_or(Option::is_none) {
                    success = Some(body);
                }
            } else if let Some(ty) = body {
                errors.push(ty);
            }
        }
        let error = match errors.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => first.clone(),
            _ => Ty::Json,
        };
        (success.flatten(), error)
    }

    /// The JSON body type of one response, if it has one.
    fn body(&mut self, op_id: &str, status: &str, response_at: &SchemaRef) -> Option<Ty> {
        let content = self
            .sources
            .get(&response_at.child("content"))?
            .as_object()?;
        let media = content.keys().find(|m| m.contains("json")).cloned()?;
        let schema_at = response_at.child("content").child(&media).child("schema");
        self.sources.get(&schema_at)?;
        let hint = Hint {
            definition: false,
            text: format!("{op_id} {status} Response"),
        };
        let shape = self.shape_with(&schema_at, &hint, 0);
        Some(if shape.nullable { Ty::Json } else { shape.ty })
    }
}

fn is_scalar(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Bool | Ty::Integer(_) | Ty::Number | Ty::String | Ty::DateTime | Ty::UnixTime
    )
}

/// `{name}` placeholders of a path template.
pub(super) fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
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
    location: crate::diag::Location,
) -> Result<ir::Pagination, Diagnostic> {
    let fail = |message: String| {
        Diagnostic::error(location.clone(), message)
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
    let response = op
        .response
        .clone()
        .ok_or_else(|| fail(format!("`{}` has no success body", op.id)))?;
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
