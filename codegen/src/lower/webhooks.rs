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

use super::operations::{summary_and_description, METHODS};

const NOT_GENERATED: &str =
    "no type is generated for it; its payload schemas in `components` still are";

/// How deep into a payload a tag property is looked for (`type`, `data.event_type`).
const TAG_DEPTH: usize = 2;

impl Lowerer<'_> {
    /// The events of a `webhooks` or `x-webhooks` map: each entry a path item, or (as some
    /// vendors write `x-webhooks`) a map of URL expressions to path items, as a callback is.
    pub(super) fn webhooks(&mut self, module: &str, at: &SchemaRef, source: WebhookSource) {
        for (name, entry) in self.entries(at) {
            if self.is_callback(&entry) {
                self.callback(module, &name, &entry, &source);
            } else {
                self.path_item_events(module, &name, &entry, &source);
            }
        }
    }

    /// The events of one operation's `callbacks` (`at`), declared by the operation `op_id`.
    pub(super) fn callbacks(&mut self, module: &str, op_id: &str, at: &SchemaRef) {
        let source = WebhookSource::Callback {
            operation: op_id.to_owned(),
            url: String::new(),
        };
        for (name, callback) in self.entries(at) {
            self.callback(module, &name, &callback, &source);
        }
    }

    /// The entries of a `webhooks`, `x-webhooks` or `callbacks` map, each with its `$ref`s
    /// followed (extension keys aside); a map that is no object, or an entry whose `$ref` leads
    /// nowhere, is warned about (the latter is left out).
    fn entries(&mut self, at: &SchemaRef) -> Vec<(String, SchemaRef)> {
        let names: Vec<String> = match self.sources.get(at) {
            None => return Vec::new(),
            Some(Value::Object(map)) => map
                .keys()
                .filter(|k| !k.starts_with("x-"))
                .cloned()
                .collect(),
            Some(_) => {
                self.warn_with(
                    at,
                    "expected a map of events",
                    "no event is generated from it",
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for name in names {
            let entry = self.follow_refs(&at.child(&name));
            match self.sources.get(&entry) {
                Some(Value::Object(map)) if !map.contains_key("$ref") => out.push((name, entry)),
                found => {
                    let message = match found {
                        Some(Value::Object(_)) => {
                            format!("the event `{name}`'s `$ref` leads to no object")
                        }
                        _ => format!("the event `{name}` is neither a path item nor a callback"),
                    };
                    self.leave_out(&entry, LeftOut::Webhook, message, NOT_GENERATED);
                }
            }
        }
        out
    }

    /// A callback object: URL expressions, each a path item.
    fn callback(&mut self, module: &str, name: &str, at: &SchemaRef, source: &WebhookSource) {
        for (url, item) in self.entries(at) {
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

    /// Whether an `x-webhooks` entry is a callback (URL expressions to path items, as a
    /// callback object is) rather than a path item: it has no method, and each of its keys is
    /// an expression or a URL.
    fn is_callback(&self, at: &SchemaRef) -> bool {
        let Some(Value::Object(map)) = self.sources.get(at) else {
            return false;
        };
        let keys: Vec<&String> = map.keys().filter(|k| !k.starts_with("x-")).collect();
        !keys.is_empty()
            && !METHODS.iter().any(|m| map.contains_key(*m))
            && keys
                .iter()
                .all(|k| k.contains('{') || k.contains("://") || k.starts_with('/'))
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
            self.leave_out(item_at, LeftOut::Webhook, message, NOT_GENERATED);
            return;
        }
        for method in methods {
            if !matches!(
                self.sources.get(&item_at.child(method)),
                Some(Value::Object(_))
            ) {
                let message = format!("the event `{name}`'s `{method}` is no request object");
                self.leave_out(
                    &item_at.child(method),
                    LeftOut::Webhook,
                    message,
                    NOT_GENERATED,
                );
                continue;
            }
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
        let doc = summary_and_description(&request);
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
                let schema = content.child(media).child("schema");
                self.fixed_properties(&schema, &[], &mut tags, &mut Vec::new());
                tags
            }
            _ => BTreeMap::new(),
        };
        WebhookNode {
            module: module.to_owned(),
            key,
            source: source.clone(),
            method: method.to_ascii_uppercase(),
            doc,
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
            BodyKindNode::Form(ty, encoding) if !encoding.is_empty() => {
                let message = format!(
                    "the event `{key}`'s form `encoding` is not applied when its payload is read"
                );
                self.warn_with(
                    &content_at.child(&media).child("encoding"),
                    message,
                    "each field is read as `name=value`, a name given several times as an array",
                );
                BodyKindNode::Form(ty, Vec::new())
            }
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
            if !param.is_object() || param.get("$ref").is_some() {
                let message = format!("a parameter of the event `{key}` is no parameter object");
                self.warn_with(&param_at, message, "the event's headers leave it out");
                continue;
            }
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
    /// root; objects are looked into down to [`TAG_DEPTH`]. `seen`: the schemas on the way
    /// here, so that an `allOf` that holds itself ends.
    fn fixed_properties(
        &self,
        at: &SchemaRef,
        path: &[String],
        out: &mut BTreeMap<Vec<String>, String>,
        seen: &mut Vec<SchemaRef>,
    ) {
        let at = self.follow_refs(at);
        if seen.contains(&at) || seen.len() > 64 {
            return;
        }
        let Some(Value::Object(schema)) = self.sources.get(&at) else {
            return;
        };
        seen.push(at.clone());
        if let Some(Value::Array(members)) = schema.get("allOf") {
            for i in 0..members.len() {
                self.fixed_properties(&at.child("allOf").child(&i.to_string()), path, out, seen);
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
            } else if inner.len() < TAG_DEPTH {
                self.fixed_properties(&property_at, &inner, out, seen);
            }
        }
        seen.pop();
    }

    /// Gives the events of `module` distinct keys (what `EventKind::name` and
    /// `Event::decode_named` go by): an event whose key another shares (two methods of one path
    /// item without `operationId`, one callback at two URLs, one name in two operations'
    /// callbacks) is keyed by its method too, then by its operation; each such key is a warning.
    pub(super) fn distinct_event_keys(&mut self, module: &str) {
        let qualified = |event: &WebhookNode, level: usize| {
            let method = event.method.to_ascii_lowercase();
            match (&event.source, level) {
                (_, 0) => event.key.clone(),
                (_, 1) => format!("{} {method}", event.key),
                (WebhookSource::Callback { operation, .. }, 2) => {
                    format!("{operation} {}", event.key)
                }
                (WebhookSource::Callback { operation, .. }, _) => {
                    format!("{operation} {} {method}", event.key)
                }
                (_, _) => format!("{} {method} {}", event.key, event.at.pointer),
            }
        };
        let events: Vec<usize> = (0..self.webhooks.len())
            .filter(|&i| self.webhooks[i].module == module)
            .collect();
        let mut level = vec![0usize; self.webhooks.len()];
        for round in 1..=3 {
            let keys: Vec<(usize, String)> = events
                .iter()
                .map(|&i| (i, qualified(&self.webhooks[i], level[i])))
                .collect();
            let shared: Vec<usize> = keys
                .iter()
                .filter(|(i, k)| keys.iter().any(|(j, other)| j != i && other == k))
                .map(|(i, _)| *i)
                .collect();
            if shared.is_empty() {
                break;
            }
            for i in shared {
                level[i] = round;
            }
        }
        for &i in &events {
            if level[i] == 0 {
                continue;
            }
            let key = qualified(&self.webhooks[i], level[i]);
            let message = format!(
                "the event `{}` shares its name with another; it is `{key}`",
                self.webhooks[i].key
            );
            let at = self.webhooks[i].at.clone();
            self.warn_with(
                &at,
                message,
                "`EventKind::name` and `Event::decode_named` use that",
            );
            self.webhooks[i].key = key;
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
