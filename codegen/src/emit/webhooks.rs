//! A module's `webhooks`: the events its API sends to the user's server, as `EventKind` (which
//! event a request is), `Event` (the event read, one variant per event and `Other` for one the
//! description does not list), each event's typed headers, and, when the description states how
//! its webhooks are signed, the `verifier` for that scheme.

use super::answers::headers_struct;
use super::docs::{doc_text, inner_lines, lines};
use super::types::docs_code;
use super::{ident, type_tokens, EmitError};
use crate::ir;
use proc_macro2::TokenStream;
use quote::quote;

/// The module's `webhooks` submodule (empty when it has no events).
pub fn webhooks_module(module: &ir::Module) -> Result<TokenStream, EmitError> {
    if module.webhooks.is_empty() {
        return Ok(TokenStream::new());
    }
    let mut kinds = Vec::new();
    let mut names = Vec::new();
    let mut from_names = Vec::new();
    let mut methods = Vec::new();
    let mut variants = Vec::new();
    let mut decodes = Vec::new();
    let mut of_kind = Vec::new();
    let mut headers = Vec::new();
    for event in &module.webhooks {
        let variant = ident(&event.name)?;
        let key = &event.key;
        let method = &event.method;
        let kind_doc = lines(&format!("`{}`.", docs_code(key)));
        kinds.push(quote! { #kind_doc #variant, });
        names.push(quote! { EventKind::#variant => #key, });
        from_names.push(quote! { #key => Some(EventKind::#variant), });
        methods.push(quote! { EventKind::#variant => #method, });
        let (payload, read) = payload(event)?;
        let headers_name = format!("{}Headers", event.name);
        let headers_doc = format!(
            "The headers the API description declares on the `{}` event, read typed from the \
             request's header map (`{headers_name}::from(&headers)`): each is `None` when the \
             request does not carry it or its value does not read as its type.",
            docs_code(key)
        );
        headers.push(headers_struct(&headers_name, &event.headers, &headers_doc)?);
        let doc = lines(&variant_doc(module, event, &headers_name));
        match payload {
            Some(ty) => {
                variants.push(quote! { #doc #variant(#ty), });
                decodes.push(quote! {
                    EventKind::#variant => Event::#variant(event::read(#key, body, #read)?),
                });
                of_kind.push(quote! { Event::#variant(_) => Some(EventKind::#variant), });
            }
            None => {
                variants.push(quote! { #doc #variant, });
                decodes.push(quote! { EventKind::#variant => Event::#variant, });
                of_kind.push(quote! { Event::#variant => Some(EventKind::#variant), });
            }
        }
    }
    let froms = from_payloads(module)?;
    let count = proc_macro2::Literal::usize_unsuffixed(module.webhooks.len());
    let all = module
        .webhooks
        .iter()
        .map(|e| ident(&e.name))
        .collect::<Result<Vec<_>, _>>()?;
    let from_body = from_body(module)?;
    let verifier = verifier(module);
    let module_doc = inner_lines(&format!(
        "The events the `{}` API sends to your server (its webhooks and callbacks), read into \
         [`Event`].\n\n\
         Each request is one event. When your server knows which event a request is (each has \
         its own URL, or the callback was registered by a known request), read it with \
         [`Event::decode`]; [`Event::decode_named`] takes the event's name and keeps an unknown \
         one as [`Event::Other`].{} Check the request's signature first: `webhook::Verifier` \
         (cargo feature `webhooks`).",
        module.name,
        if module.event_tag.is_some() {
            " [`Event::from_body`] tells the event by its payload alone."
        } else {
            ""
        }
    ));
    Ok(quote! {
        pub mod webhooks {
            #module_doc
            use crate::{event, request};

            /// Which event a request is: one variant per event the API description lists.
            /// Non-exhaustive, as [`Event`] is.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum EventKind {
                #(#kinds)*
            }

            impl EventKind {
                /// Every event the API description lists.
                pub const ALL: [EventKind; #count] = [#(EventKind::#all),*];

                /// The event's name in the API description.
                pub fn name(self) -> &'static str {
                    match self {
                        #(#names)*
                    }
                }

                /// The event the API description calls `name`, if it lists one.
                pub fn from_name(name: &str) -> Option<EventKind> {
                    match name {
                        #(#from_names)*
                        _ => None,
                    }
                }

                /// The HTTP method the API sends the event with.
                pub fn method(self) -> &'static str {
                    match self {
                        #(#methods)*
                    }
                }
            }

            /// An event, read: one variant per event the API description lists, and `Other`.
            /// Non-exhaustive: an event the description lists later becomes a variant of its
            /// own without breaking a `match`.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            #[non_exhaustive]
            pub enum Event {
                #(#variants)*
                /// An event the API description does not list, kept as it came.
                Other(event::Unknown),
            }

            impl Event {
                /// Reads the payload of a request that is a `kind` event.
                pub fn decode(
                    kind: EventKind,
                    headers: &request::http::HeaderMap,
                    body: &[u8],
                ) -> Result<Event, event::EventError> {
                    let _ = (headers, body);
                    Ok(match kind {
                        #(#decodes)*
                    })
                }

                /// Reads a request that is the event the API description calls `name`; an
                /// event of a name it does not list is kept as [`Event::Other`].
                pub fn decode_named(
                    name: &str,
                    headers: &request::http::HeaderMap,
                    body: &[u8],
                ) -> Result<Event, event::EventError> {
                    match EventKind::from_name(name) {
                        Some(kind) => Event::decode(kind, headers, body),
                        None => Ok(Event::Other(event::Unknown::new(Some(name), headers, body))),
                    }
                }

                #from_body

                /// Which event this is; `None` for [`Event::Other`].
                pub fn kind(&self) -> Option<EventKind> {
                    match self {
                        #(#of_kind)*
                        Event::Other(_) => None,
                    }
                }
            }

            #froms
            #(#headers)*
            #verifier
        }
    })
}

/// `From<Payload> for Event`, for each named payload type that is one event's only (an event
/// made in code: a test, a fan-out of one's own).
fn from_payloads(module: &ir::Module) -> Result<TokenStream, EmitError> {
    let named = |event: &ir::Webhook| match event.body.as_ref().map(|b| &b.kind) {
        Some(ir::BodyKind::Json(ty) | ir::BodyKind::Form { ty, .. })
            if matches!(ty, ir::TypeRef::Named { .. }) =>
        {
            Some(ty.clone())
        }
        _ => None,
    };
    let mut out = TokenStream::new();
    for event in &module.webhooks {
        let Some(ty) = named(event) else { continue };
        if module
            .webhooks
            .iter()
            .filter(|e| named(e).as_ref() == Some(&ty))
            .count()
            > 1
        {
            continue;
        }
        let (ty, variant) = (type_tokens(&ty, "")?, ident(&event.name)?);
        out.extend(quote! {
            impl From<#ty> for Event {
                fn from(payload: #ty) -> Event {
                    Event::#variant(payload)
                }
            }
        });
    }
    Ok(out)
}

/// An event's payload type and its reader, `None` when it has no body.
fn payload(event: &ir::Webhook) -> Result<(Option<TokenStream>, TokenStream), EmitError> {
    let Some(body) = &event.body else {
        return Ok((None, TokenStream::new()));
    };
    Ok(match &body.kind {
        ir::BodyKind::Json(ty) => (Some(type_tokens(ty, "")?), quote!(crate::answer::json)),
        ir::BodyKind::Form { ty, .. } => (Some(type_tokens(ty, "")?), quote!(event::form)),
        ir::BodyKind::Text => (Some(quote!(String)), quote!(crate::answer::text)),
        ir::BodyKind::Bytes | ir::BodyKind::Multipart { .. } => {
            (Some(quote!(Vec<u8>)), quote!(crate::answer::bytes))
        }
    })
}

/// The doc of an event's variant: the description's text, where it is declared, its payload,
/// its headers and its tag value.
fn variant_doc(module: &ir::Module, event: &ir::Webhook, headers_name: &str) -> String {
    let key = docs_code(&event.key);
    let declared = match &event.source {
        ir::WebhookSource::Webhooks => format!("The webhook `{key}`"),
        ir::WebhookSource::XWebhooks => format!("The webhook `{key}` (`x-webhooks`)"),
        ir::WebhookSource::Callback { operation, url } => format!(
            "The callback `{key}` of [`{operation}`](super::{operation}), sent to `{}`",
            docs_code(url)
        ),
    };
    let mut text = format!(
        "{}\n\n{declared}, a `{}` request",
        doc_text(event.doc.as_deref(), &format!("The `{key}` event.")),
        event.method
    );
    match &event.body {
        Some(body) => text.push_str(&format!(
            " with its payload in `{}`.",
            docs_code(&body.media_type)
        )),
        None => text.push_str(" without a payload."),
    }
    if !event.headers.is_empty() {
        text.push_str(&format!(" Its declared headers: [`{headers_name}`]."));
    }
    if let (Some(path), Some(value)) = (&module.event_tag, &event.tag_value) {
        text.push_str(&format!(
            " Told by `{}` = `{}`.",
            docs_code(&path.join(".")),
            docs_code(value)
        ));
    }
    text.push_str(&format!("\n\nDeclared at `{}`.", docs_code(&event.origin)));
    text
}

/// `Event::from_body`, when the module's events are told apart by a property of their payload.
fn from_body(module: &ir::Module) -> Result<TokenStream, EmitError> {
    let Some(path) = &module.event_tag else {
        return Ok(TokenStream::new());
    };
    let mut arms = Vec::new();
    for event in &module.webhooks {
        if let Some(value) = &event.tag_value {
            let variant = ident(&event.name)?;
            arms.push(quote! { Some(#value) => EventKind::#variant, });
        }
    }
    let doc = lines(&format!(
        "Reads a request by its payload alone: the events differ in `{}`. An event whose value \
         there the API description does not list (or that has none) is kept as \
         [`Event::Other`]; a body that is no JSON is an error.",
        docs_code(&path.join("."))
    ));
    Ok(quote! {
        #doc
        pub fn from_body(
            headers: &request::http::HeaderMap,
            body: &[u8],
        ) -> Result<Event, event::EventError> {
            let tag = event::tag(body, &[#(#path),*])?;
            let kind = match tag.as_deref() {
                #(#arms)*
                _ => return Ok(Event::Other(event::Unknown::new(tag.as_deref(), headers, body))),
            };
            Event::decode(kind, headers, body)
        }
    })
}

/// `verifier`, when the description states the scheme its webhooks are signed with.
fn verifier(module: &ir::Module) -> TokenStream {
    let Some(signature) = module.api.as_ref().and_then(|a| a.signature.as_ref()) else {
        return TokenStream::new();
    };
    let (make, how) = match signature {
        ir::Signature::StandardWebhooks => (
            quote!(crate::webhook::Verifier::standard_webhooks(secrets)),
            "Standard Webhooks".to_owned(),
        ),
        ir::Signature::Stripe => (
            quote!(crate::webhook::Verifier::stripe(secrets)),
            "Stripe-style `t=…,v1=…` signatures".to_owned(),
        ),
        ir::Signature::Twilio => (
            quote!(crate::webhook::Verifier::twilio(secrets)),
            "Twilio's `X-Twilio-Signature`".to_owned(),
        ),
        ir::Signature::HmacBody {
            header,
            algorithm,
            encoding,
            prefix,
        } => {
            let algorithm = match algorithm.as_str() {
                "sha1" => quote!(Sha1),
                "sha512" => quote!(Sha512),
                _ => quote!(Sha256),
            };
            let encoding = match encoding.as_str() {
                "base64" => quote!(Base64),
                _ => quote!(Hex),
            };
            let prefix = match prefix {
                Some(p) => quote!(Some(#p.to_owned())),
                None => quote!(None),
            };
            (
                quote! {
                    crate::webhook::Verifier::hmac_body(
                        crate::webhook::HmacBody {
                            header: #header.to_owned(),
                            algorithm: crate::webhook::Algorithm::#algorithm,
                            encoding: crate::webhook::Encoding::#encoding,
                            prefix: #prefix,
                        },
                        secrets,
                    )
                },
                format!("an HMAC of the body in `{}`", docs_code(header)),
            )
        }
    };
    let doc = lines(&format!(
        "A verifier of this API's webhook requests: the API description says they are signed \
         with {how} (`x-webhook-signature`). Give every secret in use (several while one is \
         rotated)."
    ));
    quote! {
        #doc
        #[cfg(feature = "webhooks")]
        pub fn verifier(
            secrets: &[&str],
        ) -> Result<crate::webhook::Verifier, crate::webhook::WebhookError> {
            #make
        }
    }
}
