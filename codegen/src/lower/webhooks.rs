//! Webhook events: OpenAPI 3.1 `webhooks`, the `x-webhooks` extension, and every operation's
//! `callbacks`, each request one event with its payload, its declared headers, and the
//! properties its payload fixes to one value (what the module's events may be told apart by).

use super::schema::{description, single_string, Lowerer};
use super::{BodyKindNode, HeaderNode, WebhookNode};
use crate::diag::LeftOut;
use crate::ir::{self, WebhookSource};
use crate::source::SchemaRef;
use serde_json::Value;
use std::collections::BTreeMap;

use super::operations::METHODS;

/// How deep into a payload a tag property is looked for (`type`, `data.event_type`).
const TAG_DEPTH: usize = 2;

impl Lowerer<'_> {
    /// The events of a `webhooks` or `x-webhooks` map: each entry a path item, or (as some
    /// vendors write `x-webhooks`) a map of URL expressions to path items, as a callback is.
    pub(super) fn webhooks(&mut self, module: &str, at: &SchemaRef, source: WebhookSource) {
        let Some(Value::Object(map)) = self.sources.get(at) else {
            return;
        };
        let names: Vec<String> = map.keys().cloned().collect();
        for name in names {
            let entry = self.follow_refs(&at.child(&name));
            if self.is_path_item(&entry) {
                self.path_item_events(module, &name, &entry, &source);
            } else {
                self.callback(module, &name, &entry, &source);
            }
        }
    }

    /// The events of one operation's `callbacks` (`at`), declared by the operation `op_id`.
    pub(super) fn callbacks(&mut self, module: &str, op_id: &str, at: &SchemaRef) {
        let Some(Value::Object(map)) = self.sources.get(at) else {
            return;
        };
        let names: Vec<String> = map.keys().cloned().collect();
        for name in names {
            let callback = self.follow_refs(&at.child(&name));
            let source = WebhookSource::Callback {
                operation: op_id.to_owned(),
                url: String::new(),
            };
            self.callback(module, &name, &callback, &source);
        }
    }

    /// A callback object: URL expressions, each a path item.
    fn callback(&mut self, module: &str, name: &str, at: &SchemaRef, source: &WebhookSource) {
        let urls: Vec<String> = match self.sources.get(at) {
            Some(Value::Object(map)) if !map.is_empty() => map.keys().cloned().collect(),
            _ => {
                let message = format!("the event `{name}` is neither a path item nor a callback");
                self.leave_out(
                    at,
                    LeftOut::Webhook,
                    message,
                    "no type is generated for it; its payload schemas in `components` still are",
                );
                return;
            }
        };
        for url in urls {
            let item = self.follow_refs(&at.child(&url));
            let source = match source {
                WebhookSource::Callback { operation, .. } => WebhookSource::Callback {
                    operation: operation.clone(),
                    url: url.clone(),
                },
                other => other.clone(),
            };
            self.path_item_events(module, name, &item, &source);
        }
    }

    fn is_path_item(&self, at: &SchemaRef) -> bool {
        matches!(self.sources.get(at), Some(Value::Object(map))
            if METHODS.iter().any(|m| map.contains_key(*m)))
    }

    /// One event per method of a path item.
    fn path_item_events(
        &mut self,
        module: &str,
        name: &str,
        item_at: &SchemaRef,
        source: &WebhookSource,
    ) {
        let methods: Vec<&str> = match self.sources.get(item_at) {
            Some(Value::Object(item)) => METHODS
                .iter()
                .copied()
                .filter(|m| item.contains_key(*m))
                .collect(),
            _ => Vec::new(),
        };
        if methods.is_empty() {
            let message = format!("the event `{name}` declares no request (no HTTP method)");
            self.leave_out(
                item_at,
                LeftOut::Webhook,
                message,
                "no type is generated for it; its payload schemas in `components` still are",
            );
            return;
        }
        for method in methods {
            let event = self.event(module, name, item_at, method, source);
            self.webhooks.push(event);
        }
    }

    fn event(
        &mut self,
        module: &str,
        name: &str,
        item_at: &SchemaRef,
        method: &str,
        source: &WebhookSource,
    ) -> WebhookNode {
        let at = item_at.child(method);
        let request = self.sources.get(&at).cloned().unwrap_or(Value::Null);
        let key = request
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .to_owned();
        let doc = [request.get("summary"), request.get("description")]
            .iter()
            .filter_map(|v| v.and_then(Value::as_str))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let headers = self.event_headers(&key, item_at, &at);
        let body_at = at.child("requestBody");
        let body = self
            .request_body(&format!("{key} Event"), &body_at)
            .and_then(|body| self.payload(&key, &body_at, body.contents));
        let tags = match &body {
            Some((_, BodyKindNode::Json(_))) => {
                let body_at = self.follow_refs(&body_at);
                let content = body_at.child("content");
                let media = body.as_ref().map(|(m, _)| m.as_str()).unwrap_or_default();
                let mut tags = BTreeMap::new();
                self.fixed_properties(&content.child(media).child("schema"), &[], &mut tags, 0);
                tags
            }
            _ => BTreeMap::new(),
        };
        WebhookNode {
            module: module.to_owned(),
            key,
            source: source.clone(),
            method: method.to_ascii_uppercase(),
            doc: (!doc.is_empty()).then_some(doc),
            body,
            headers,
            tags,
            at,
        }
    }

    /// The payload an event is read as: its JSON media type, else its form one, else the first;
    /// the others are warned about. A multipart payload is kept as bytes.
    fn payload(
        &mut self,
        key: &str,
        body_at: &SchemaRef,
        contents: Vec<(String, BodyKindNode)>,
    ) -> Option<(String, BodyKindNode)> {
        let rank = |kind: &BodyKindNode| match kind {
            BodyKindNode::Json(_) => 0,
            BodyKindNode::Form(..) => 1,
            _ => 2,
        };
        let chosen = contents
            .iter()
            .enumerate()
            .min_by_key(|(i, (_, kind))| (rank(kind), *i))
            .map(|(i, _)| i)?;
        let others: Vec<String> = contents
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != chosen)
            .map(|(_, (media, _))| format!("`{media}`"))
            .collect();
        let (media, kind) = contents.into_iter().nth(chosen)?;
        let content_at = self.follow_refs(body_at).child("content");
        if !others.is_empty() {
            let message = format!(
                "the event `{key}` is read as `{media}`; it may also come as {}",
                others.join(", ")
            );
            self.warn_with(
                &content_at,
                message,
                "a payload in another media type fails to decode; its bytes are in the error",
            );
        }
        let kind = match kind {
            BodyKindNode::Multipart(..) => {
                let message = format!("the event `{key}`'s multipart payload is not typed");
                self.warn_with(
                    &content_at.child(&media),
                    message,
                    "the event holds the payload's bytes",
                );
                BodyKindNode::Bytes
            }
            other => other,
        };
        Some((media, kind))
    }

    /// The header parameters an event declares (path-item ones first, replaced by name); others
    /// (query, path, cookie) are warned about, as the receiver's own URL holds them.
    fn event_headers(&mut self, key: &str, item_at: &SchemaRef, at: &SchemaRef) -> Vec<HeaderNode> {
        let mut headers: Vec<HeaderNode> = Vec::new();
        for entry in self.sources.parameter_entries(item_at, at) {
            let param_at = self.follow_refs(&entry);
            let param = self.sources.get(&param_at).cloned().unwrap_or(Value::Null);
            let text = |k: &str| param.get(k).and_then(Value::as_str).unwrap_or_default();
            let (name, place) = (text("name").to_owned(), text("in"));
            if place != "header" || name.is_empty() {
                let message =
                    format!("the event `{key}`'s parameter `{name}` in {place} is not typed");
                self.warn_with(
                    &param_at,
                    message,
                    "only an event's headers are; the URL your server gave the vendor holds the rest",
                );
                continue;
            }
            let kind = self.header_kind(&param_at);
            headers.retain(|h| !h.wire_name.eq_ignore_ascii_case(&name));
            headers.push(HeaderNode {
                wire_name: name,
                kind,
                doc: description(&param),
                statuses: Vec::new(),
            });
        }
        headers
    }

    /// Adds to `out` the properties of the schema at `at` (and of its `allOf` members) that it
    /// fixes to one string (`const`, or an `enum` of one), by their path from the payload's
    /// root; objects are looked into down to [`TAG_DEPTH`].
    fn fixed_properties(
        &self,
        at: &SchemaRef,
        path: &[String],
        out: &mut BTreeMap<Vec<String>, String>,
        depth: usize,
    ) {
        let at = self.follow_refs(at);
        let Some(Value::Object(schema)) = self.sources.get(&at) else {
            return;
        };
        if let Some(Value::Array(members)) = schema.get("allOf") {
            for i in 0..members.len().min(64) {
                self.fixed_properties(&at.child("allOf").child(&i.to_string()), path, out, depth);
            }
        }
        let Some(Value::Object(properties)) = schema.get("properties") else {
            return;
        };
        for name in properties.keys() {
            let property_at = self.follow_refs(&at.child("properties").child(name));
            let Some(property) = self.sources.get(&property_at) else {
                continue;
            };
            let mut inner = path.to_vec();
            inner.push(name.clone());
            if let Some(value) = single_string(property) {
                out.insert(inner, value);
            } else if depth + 1 < TAG_DEPTH {
                self.fixed_properties(&property_at, &inner, out, depth + 1);
            }
        }
    }
}

/// The property that tells a module's events apart: one every event's JSON payload fixes, to a
/// value no other event has; the shortest such path, then the first by name. `None` when there
/// is none (or an event has no JSON payload).
pub(super) fn event_tag(events: &[&WebhookNode]) -> Option<Vec<String>> {
    let (first, rest) = events.split_first()?;
    let mut candidates: Vec<&Vec<String>> = first
        .tags
        .keys()
        .filter(|path| rest.iter().all(|e| e.tags.contains_key(*path)))
        .filter(|path| {
            let mut values: Vec<&String> = events.iter().map(|e| &e.tags[*path]).collect();
            values.sort();
            values.dedup();
            values.len() == events.len()
        })
        .collect();
    candidates.sort_by_key(|path| (path.len(), (*path).clone()));
    candidates.first().map(|path| (*path).clone())
}

/// What the document's `x-webhook-signature` says about the scheme its webhooks are signed with;
/// `Err` with what is wrong when it says something else.
pub(super) fn signature(value: &Value) -> Result<ir::Signature, String> {
    let scheme = match value {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("scheme").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    };
    let field = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
    match scheme {
        "standard-webhooks" => Ok(ir::Signature::StandardWebhooks),
        "stripe" => Ok(ir::Signature::Stripe),
        "twilio" => Ok(ir::Signature::Twilio),
        "hmac-body" => {
            let header = field("header").ok_or("`hmac-body` needs a `header`")?;
            let algorithm = field("algorithm").unwrap_or_else(|| "sha256".into());
            if !["sha1", "sha256", "sha512"].contains(&algorithm.as_str()) {
                return Err(format!(
                    "algorithm `{algorithm}` is none of sha1, sha256, sha512"
                ));
            }
            let encoding = field("encoding").unwrap_or_else(|| "hex".into());
            if !["hex", "base64"].contains(&encoding.as_str()) {
                return Err(format!("encoding `{encoding}` is neither hex nor base64"));
            }
            Ok(ir::Signature::HmacBody {
                header,
                algorithm,
                encoding,
                prefix: field("prefix"),
            })
        }
        other => Err(format!(
            "scheme `{other}` is none of standard-webhooks, stripe, twilio, hmac-body"
        )),
    }
}
