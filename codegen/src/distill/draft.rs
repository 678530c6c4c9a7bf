//! A draft OpenAPI description from one [`Page`]: the starting point for an endpoint nobody has
//! distilled yet. Types come from the example bodies, which show values, not rules: the draft
//! marks nothing required, and a person decides the rest.

use super::page::{Bound, Page, Param};
use crate::ir::Security;
use heck::ToLowerCamelCase;
use serde_json::{json, Map, Value};

pub fn draft(page: &Page) -> Value {
    let (status, _) = page.status.unwrap_or((200, 0));
    let media = page
        .media_type
        .clone()
        .unwrap_or_else(|| "application/json".into());
    let mut responses = Map::new();
    let mut answer =
        json!({"description": page.summary.clone().unwrap_or_else(|| "Success.".into())});
    if let Some(body) = page.bodies.first() {
        answer["content"] = json!({ media.clone(): {"schema": infer(&body.value)} });
    }
    responses.insert(status.to_string(), answer);
    // The bodies after the first are error answers whose status the page does not give.
    if let Some(body) = page.bodies.get(1) {
        responses.insert(
            "default".into(),
            json!({
                "description": "An error (the page shows its body without a status).",
                "content": { media.clone(): {"schema": infer(&body.value)} }
            }),
        );
    }
    let mut operation = json!({
        "operationId": operation_id(&page.method, &page.path),
        "parameters": page.params.iter().map(parameter).collect::<Vec<_>>(),
        "responses": responses,
    });
    if let Some(summary) = &page.summary {
        operation["summary"] = json!(summary);
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Draft distilled from a vendor page",
            "version": "draft",
            "description": "Inferred from one page's parameters and example bodies: check each type, mark the required properties, and name the shared objects before adding it to schemas/."
        },
        "paths": { page.path.clone(): { page.method.to_ascii_lowercase(): operation } }
    });
    if let Some(auth) = &page.auth {
        let (name, scheme) = match &auth.sends {
            Security::Bearer => ("bearerAuth", json!({"type": "http", "scheme": "bearer"})),
            Security::Basic => ("basicAuth", json!({"type": "http", "scheme": "basic"})),
            Security::ApiKeyHeader(header) => (
                "apiKey",
                json!({"type": "apiKey", "in": "header", "name": header}),
            ),
            Security::ApiKeyQuery(param) => (
                "apiKey",
                json!({"type": "apiKey", "in": "query", "name": param}),
            ),
            Security::ClientCredentials { token_url, .. } => (
                "oauth2",
                json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": {}}}}),
            ),
        };
        let name = auth.scheme.as_deref().unwrap_or(name);
        document["components"] = json!({"securitySchemes": {name: scheme}});
        document["security"] = json!([{name: []}]);
    }
    document
}

/// `GET /v1/accounts/{accountId}/calls` → `listCalls`; `GET …/calls/{callId}` → `getCall`.
fn operation_id(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let ends_in_param = segments.last().is_some_and(|s| s.starts_with('{'));
    let noun = segments
        .iter()
        .rev()
        .find(|s| !s.starts_with('{'))
        .copied()
        .unwrap_or("root");
    let verb = match (method, ends_in_param) {
        ("GET", false) => "list",
        ("GET", true) => "get",
        ("POST", _) => "create",
        ("PUT" | "PATCH", _) => "update",
        ("DELETE", _) => "delete",
        (other, _) => other,
    };
    let noun = if ends_in_param || method == "POST" {
        singular(noun)
    } else {
        noun.to_owned()
    };
    format!("{verb} {noun}").to_lower_camel_case()
}

/// `calls` → `call`, `replies` → `reply`; `status` and `address` stay.
fn singular(noun: &str) -> String {
    if let Some(stem) = noun.strip_suffix("ies") {
        return format!("{stem}y");
    }
    match noun.strip_suffix('s') {
        Some(stem) if !stem.ends_with(['s', 'u']) => stem.to_owned(),
        _ => noun.to_owned(),
    }
}

fn parameter(param: &Param) -> Value {
    // A page that gives no type (TextUs's path placeholders) has a string in the URL.
    let mut schema = json!({"type": param.ty.as_deref().unwrap_or("string")});
    if let Some(format) = &param.format {
        schema["format"] = json!(format);
    }
    if !param.options.is_empty() {
        // Options of an integer parameter are numbers.
        let options: Vec<Value> = param
            .options
            .iter()
            .map(|o| match o.parse::<i64>() {
                Ok(n) if param.ty.as_deref() == Some("integer") => json!(n),
                _ => json!(o),
            })
            .collect();
        schema["enum"] = json!(options);
    }
    let mut bound = |bound: Option<Bound>, inclusive: &str, exclusive: &str| {
        if let Some(b) = bound {
            schema[if b.exclusive { exclusive } else { inclusive }] = json!(b.value);
        }
    };
    bound(param.minimum, "minimum", "exclusiveMinimum");
    bound(param.maximum, "maximum", "exclusiveMaximum");
    let mut out = json!({
        "name": param.name,
        "in": param.place.as_str(),
        "required": param.required,
        "schema": schema,
    });
    if let Some(description) = &param.description {
        out["description"] = json!(description);
    }
    out
}

/// A schema for an example value.
fn infer(value: &Value) -> Value {
    match value {
        Value::Null => json!({"description": "Only `null` in the example: the type is not known."}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({"type": "integer"}),
        Value::Number(_) => json!({"type": "number"}),
        Value::String(s) if looks_like_date_time(s) => {
            json!({"type": "string", "format": "date-time"})
        }
        Value::String(_) => json!({"type": "string"}),
        Value::Array(items) => {
            let objects: Vec<&Map<String, Value>> =
                items.iter().filter_map(Value::as_object).collect();
            let items = match items.first() {
                None => json!({}),
                Some(_) if objects.len() == items.len() => object(&objects),
                Some(first) => infer(first),
            };
            json!({"type": "array", "items": items})
        }
        Value::Object(map) => object(&[map]),
    }
}

/// One object schema for several example objects: every property any of them shows.
fn object(examples: &[&Map<String, Value>]) -> Value {
    let mut properties = Map::new();
    for example in examples {
        for (key, value) in *example {
            let name = key.strip_suffix('?').unwrap_or(key);
            if !properties.contains_key(name) {
                properties.insert(name.to_owned(), infer(value));
            }
        }
    }
    json!({"type": "object", "properties": properties})
}

/// `2023-11-07T05:31:56Z`, `2018-07-24T20:59:32.156Z`.
fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[..4].iter().all(u8::is_ascii_digit)
        && (s.ends_with('Z') || b[19..].iter().any(|&c| c == b'+' || c == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_follow_the_method_and_path() {
        assert_eq!(
            operation_id("GET", "/v1/accounts/{accountId}/calls"),
            "listCalls"
        );
        assert_eq!(
            operation_id("GET", "/conversations/{conversation}"),
            "getConversation"
        );
        assert_eq!(operation_id("POST", "/v1/messages"), "createMessage");
        assert_eq!(operation_id("POST", "/toggle_status"), "createToggleStatus");
        assert_eq!(operation_id("GET", "/replies/{id}"), "getReply");
    }

    #[test]
    fn date_times_are_recognised_without_slicing_past_a_character() {
        assert!(looks_like_date_time("2023-11-07T05:31:56Z"));
        assert!(looks_like_date_time("2018-07-24T20:59:32.156+02:00"));
        assert!(!looks_like_date_time("2023-11-07T05:31:5\u{2026}x"));
        assert!(!looks_like_date_time("<string>"));
    }
}
