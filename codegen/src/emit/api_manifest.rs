//! `api.json`: the generated crate's public API as data, written beside the sources and committed
//! with them, so a change of the schemas shows as a short, reviewable diff of what users of the
//! crate see (types, fields with their Rust types, presence and wire names, enum values, union
//! variants, operations with their parameters, bodies, answers and security).

use super::{type_tokens, EmitError};
use crate::ir::{self, Answer, BodyKind, ParamLocation, Presence, TypeKind, TypeRef};
use serde_json::{json, Value};

/// The manifest of the whole crate, as pretty-printed JSON (deterministic: IR order throughout).
pub fn api_json(
    krate: &ir::Crate,
    layout: &super::features::Layout,
    crate_name: &str,
) -> Result<String, EmitError> {
    let mut modules = Vec::new();
    for (module, features) in krate.modules.iter().zip(&layout.modules) {
        let types = module
            .types
            .iter()
            .enumerate()
            .map(|(t, def)| type_entry(def, &features.field_gates(t, def)))
            .collect::<Result<Vec<_>, _>>()?;
        let operations = module
            .operations
            .iter()
            .zip(&features.operations)
            .map(|(op, feature)| operation_entry(op, feature))
            .collect::<Result<Vec<_>, _>>()?;
        let webhooks = module
            .webhooks
            .iter()
            .map(webhook_entry)
            .collect::<Result<Vec<_>, _>>()?;
        modules.push(object([
            ("name", json!(module.name)),
            ("api", module.api.as_ref().map_or(Value::Null, api_entry)),
            ("types", Value::Array(types)),
            ("operations", Value::Array(operations)),
            ("event_tag", json!(module.event_tag)),
            ("webhooks_feature", json!(features.webhooks)),
            ("webhooks", Value::Array(webhooks)),
        ]));
    }
    let manifest = object([
        ("crate", json!(crate_name)),
        ("generator", json!("cargo xtask codegen")),
        ("modules", Value::Array(modules)),
    ]);
    let mut text = Vec::new();
    write_layered(&manifest, 0, &mut text);
    text.push(b'\n');
    // serde_json writes UTF-8, and so does the layout around it.
    Ok(String::from_utf8_lossy(&text).into_owned())
}

/// A JSON object of `entries`, in their order. Values are moved in: `json!` would copy each one
/// (it serialises what it is given), and the manifest's lists are large.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// A type as Rust code names it (`Vec<crate::sakari::Call>`).
fn rust(ty: &TypeRef) -> Result<String, EmitError> {
    Ok(crate::tokens::text(type_tokens(ty, "")?))
}

/// JSON laid out one entry a line down to the entries of types and operations; each field,
/// parameter, variant and answer on one line of its own (a change to one shows as one line).
/// Leaves and one-line values are written by serde_json straight into `out`, not each into a
/// string of its own.
fn write_layered(value: &Value, depth: usize, out: &mut Vec<u8>) {
    const ONE_LINE_FROM: usize = 6;
    let indent = |out: &mut Vec<u8>, depth: usize| {
        for _ in 0..depth {
            out.extend_from_slice(b"  ");
        }
    };
    match value {
        Value::Object(map) if depth < ONE_LINE_FROM && !map.is_empty() => {
            out.extend_from_slice(b"{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                indent(out, depth + 1);
                let _ = serde_json::to_writer(&mut *out, key.as_str());
                out.extend_from_slice(b": ");
                write_layered(item, depth + 1, out);
                out.extend_from_slice(if i + 1 < map.len() { b",\n" } else { b"\n" });
            }
            indent(out, depth);
            out.push(b'}');
        }
        Value::Array(items) if depth < ONE_LINE_FROM && !items.is_empty() => {
            out.extend_from_slice(b"[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_layered(item, depth + 1, out);
                out.extend_from_slice(if i + 1 < items.len() { b",\n" } else { b"\n" });
            }
            indent(out, depth);
            out.push(b']');
        }
        other => compact(out, other),
    }
}

/// `value` as serde_json writes it on one line. (Writing into a `Vec` does not fail, and a `Value`
/// always serialises; so does a key, above.)
fn compact(out: &mut Vec<u8>, value: &Value) {
    let _ = serde_json::to_writer(out, value);
}

/// A type; a field with a gate of its own names its features (see `features`).
fn type_entry(
    def: &ir::TypeDef,
    gates: &[Option<&super::features::Gate>],
) -> Result<Value, EmitError> {
    let mut entry = json!({ "name": def.name, "origin": def.origin });
    let details = match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .zip(gates)
                .map(|(f, gate)| {
                    let mut entry = json!({
                        "name": f.name,
                        "wire": f.wire_name,
                        "type": rust(&f.ty)?,
                        "presence": match f.presence() {
                            Presence::Required => "required",
                            Presence::RequiredNullable => "required, nullable",
                            Presence::Optional => "optional",
                            Presence::OptionalNullable => "optional, nullable",
                        },
                        "boxed": f.boxed,
                        "origin": f.origin,
                    });
                    if let Some(gate) = gate {
                        entry["features"] = json!(gate.features());
                    }
                    Ok(entry)
                })
                .collect::<Result<Vec<_>, EmitError>>()?;
            let unknown = match &s.unknown_fields {
                ir::UnknownFields::Keep(field) => json!({ "kept_in": field }),
                ir::UnknownFields::Deny => json!("refused"),
            };
            object([
                ("kind", json!("struct")),
                ("fields", Value::Array(fields)),
                ("unknown_properties", unknown),
            ])
        }
        TypeKind::Enum(e) => {
            let variants: Vec<Value> = e
                .variants
                .iter()
                .map(|v| {
                    let value = match &v.value {
                        ir::EnumValue::String(s) => json!(s),
                        ir::EnumValue::Integer(n) => json!(n),
                    };
                    json!({ "name": v.name, "value": value })
                })
                .collect();
            object([
                ("kind", json!("enum")),
                ("open", json!(true)),
                ("fallback", json!(e.fallback)),
                ("variants", Value::Array(variants)),
            ])
        }
        TypeKind::Union(u) => {
            let variants = u
                .variants
                .iter()
                .map(|v| {
                    Ok(json!({ "name": v.name, "type": rust(&v.ty)?, "tag_value": v.tag_value }))
                })
                .collect::<Result<Vec<_>, EmitError>>()?;
            object([
                ("kind", json!("union")),
                ("tag", json!(u.tag)),
                ("fallback", json!(u.fallback)),
                ("variants", Value::Array(variants)),
            ])
        }
        TypeKind::Alias(ty) => json!({ "kind": "alias", "type": rust(ty)? }),
        TypeKind::Checked(c) => json!({ "kind": "checked", "inner": rust(&c.inner)? }),
    };
    if let (Value::Object(entry), Value::Object(details)) = (&mut entry, details) {
        entry.extend(details);
    }
    Ok(entry)
}

/// The default server and the credentials `api()` and `credentials::*` take.
fn api_entry(api: &ir::Api) -> Value {
    let schemes: Vec<Value> = api
        .schemes
        .iter()
        .map(|scheme| {
            let (args, _, sends) = super::operations::credential(scheme);
            let args: Vec<String> = args.iter().map(ToString::to_string).collect();
            json!({
                "name": scheme.name,
                "function": scheme.fn_name,
                "arguments": args,
                "sends": sends,
            })
        })
        .collect();
    object([
        ("origin", json!(api.origin)),
        ("base_url", json!(api.base_url)),
        ("default_scheme", json!(api.default_scheme)),
        ("schemes", Value::Array(schemes)),
        (
            "webhook_signature",
            json!(api.signature.as_ref().map(signature_name)),
        ),
    ])
}

/// How webhooks are signed, as `x-webhook-signature` names the scheme.
fn signature_name(signature: &ir::Signature) -> String {
    match signature {
        ir::Signature::StandardWebhooks => "standard-webhooks".to_owned(),
        ir::Signature::Stripe => "stripe".to_owned(),
        ir::Signature::Twilio => "twilio".to_owned(),
        ir::Signature::HmacBody {
            header,
            algorithm,
            encoding,
            prefix,
        } => format!(
            "hmac-body {header} {algorithm} {encoding}{}",
            prefix
                .as_deref()
                .map(|p| format!(" {p}"))
                .unwrap_or_default()
        ),
    }
}

/// The checks `.build()` makes on a parameter's value (only those set).
fn constraints(c: &ir::Constraints) -> Value {
    let mut out = serde_json::Map::new();
    let numbers = [
        ("minimum", c.minimum),
        ("exclusive_minimum", c.exclusive_minimum),
        ("maximum", c.maximum),
        ("exclusive_maximum", c.exclusive_maximum),
    ];
    for (key, value) in numbers {
        if let Some(v) = value {
            // `100`, not `100.0`, for a whole number.
            let whole = v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0;
            out.insert(key.into(), if whole { json!(v as i64) } else { json!(v) });
        }
    }
    for (key, value) in [("min_length", c.min_length), ("max_length", c.max_length)] {
        if let Some(v) = value {
            out.insert(key.into(), json!(v));
        }
    }
    if let Some(pattern) = &c.pattern {
        out.insert("pattern".into(), json!(pattern));
    }
    Value::Object(out)
}

fn operation_entry(op: &ir::Operation, feature: &str) -> Result<Value, EmitError> {
    let params = op
        .params
        .iter()
        .map(|p| {
            Ok(json!({
                "name": p.name,
                "wire": p.wire_name,
                "in": match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                },
                "type": rust(&p.ty)?,
                "required": p.required,
                "constant": p.constant,
                "constraints": constraints(&p.constraints),
            }))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    let body = match &op.body {
        None => Value::Null,
        Some(body) => {
            let contents = body
                .contents
                .iter()
                .map(content_entry)
                .collect::<Result<Vec<_>, EmitError>>()?;
            object([
                ("required", json!(body.required)),
                ("contents", Value::Array(contents)),
            ])
        }
    };
    let by_status = |answers: &[ir::StatusAnswer], read: fn(&Answer) -> Answer| {
        answers
            .iter()
            .map(|s| Ok(json!({ "status": s.status, "type": answer_type(&read(&s.answer))? })))
            .collect::<Result<Vec<_>, EmitError>>()
    };
    let responses = by_status(&op.responses, Answer::clone)?;
    let mut errors = by_status(&op.errors, Answer::as_error)?;
    // The `Error` enum's variant for a status the document does not list: gone once `default` is.
    if op.shared_error().is_none() && op.error_fallback() {
        errors.push(json!({ "status": "Other", "type": "Vec<u8>" }));
    }
    let error = match op.shared_error() {
        Some(answer) => answer_type(&answer)?,
        None => "Error".to_owned(),
    };
    let headers = headers_entry(&op.headers);
    Ok(object([
        ("name", json!(op.name)),
        ("id", json!(op.id)),
        ("method", json!(op.method)),
        ("path", json!(op.path)),
        ("feature", json!(feature)),
        ("params", Value::Array(params)),
        ("body", body),
        ("responses", Value::Array(responses)),
        ("error", json!(error)),
        ("errors", Value::Array(errors)),
        ("headers", headers),
        ("idempotency_key", json!(op.idempotency_key)),
        ("security", json!(op.security)),
    ]))
}

/// One media type of a body and the Rust type it is written from or read into.
fn content_entry(content: &ir::BodyContent) -> Result<Value, EmitError> {
    let ty = match &content.kind {
        BodyKind::Json(ty) | BodyKind::Form { ty, .. } | BodyKind::Multipart { ty, .. } => {
            rust(ty)?
        }
        BodyKind::Text => "String".to_owned(),
        BodyKind::Bytes => "Vec<u8>".to_owned(),
    };
    Ok(json!({ "media_type": content.media_type, "type": ty }))
}

/// Declared headers (an operation's answers', an event's), with the types they are read as.
fn headers_entry(headers: &[ir::ResponseHeader]) -> Value {
    headers
        .iter()
        .map(|h| {
            let ty = match h.kind {
                ir::HeaderKind::Integer => "i64",
                ir::HeaderKind::Number => "f64",
                ir::HeaderKind::Boolean => "bool",
                ir::HeaderKind::DateTime => "DateTime",
                ir::HeaderKind::Text => "String",
            };
            json!({ "name": h.name, "wire_name": h.wire_name, "type": ty })
        })
        .collect()
}

/// A webhook event: its variant, its name in the document, where it is declared, how it is
/// sent, its payload, headers and tag value.
fn webhook_entry(event: &ir::Webhook) -> Result<Value, EmitError> {
    let source = match &event.source {
        ir::WebhookSource::Webhooks => "webhooks".to_owned(),
        ir::WebhookSource::XWebhooks => "x-webhooks".to_owned(),
        ir::WebhookSource::Callback { operation, url } => {
            format!("callback of {operation} to {url}")
        }
    };
    let payload = match &event.body {
        Some(content) => content_entry(content)?,
        None => Value::Null,
    };
    Ok(object([
        ("name", json!(event.name)),
        ("key", json!(event.key)),
        ("source", json!(source)),
        ("method", json!(event.method)),
        ("payload", payload),
        ("headers", headers_entry(&event.headers)),
        ("tag", json!(event.tag_value)),
        ("origin", json!(event.origin)),
    ]))
}

/// The Rust type an answer's body is read into.
fn answer_type(answer: &Answer) -> Result<String, EmitError> {
    Ok(match answer {
        Answer::Json(ty) => rust(ty)?,
        Answer::Text => "String".to_owned(),
        Answer::Bytes => "Vec<u8>".to_owned(),
        Answer::Empty => "()".to_owned(),
    })
}
