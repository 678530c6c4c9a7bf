//! Answers: the operation's `Response` and `Error` enums by status (one emitter for both sides),
//! the readers `decode` calls for each, and the operation's typed `Headers`.

use super::docs::{doc_text, lines};
use super::types::docs_code;
use super::{ident, type_tokens, EmitError};
use crate::ir;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// The reader of one answer's body (a `fn(&[u8])` of the runtime's `answer` module), and its type.
fn answer_reader(answer: &ir::Answer) -> Result<(TokenStream, TokenStream), EmitError> {
    Ok(match answer {
        // The type named: nothing for rustc to infer through the operation's associated types.
        ir::Answer::Json(ty) => {
            let ty = type_tokens(ty, "")?;
            let reader = quote!(answer::json::<#ty>);
            (ty, reader)
        }
        ir::Answer::Text => (quote!(String), quote!(answer::text)),
        ir::Answer::Bytes => (quote!(Vec<u8>), quote!(answer::bytes)),
        ir::Answer::Empty => (quote!(()), quote!(answer::empty)),
    })
}

/// One side of an operation's answers: the successes (2xx) or the errors (every other status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Success,
    Error,
}

impl Side {
    /// The name of the side's enum in the operation's module.
    fn enum_name(self) -> Ident {
        match self {
            Side::Success => format_ident!("Response"),
            Side::Error => format_ident!("Error"),
        }
    }

    fn answers(self, op: &ir::Operation) -> &[ir::StatusAnswer] {
        match self {
            Side::Success => &op.responses,
            Side::Error => &op.errors,
        }
    }

    /// The one body every answer of the side carries, when they all carry the same.
    fn single(self, op: &ir::Operation) -> Option<ir::Answer> {
        match self {
            Side::Success => op.single_answer().cloned(),
            Side::Error => op.shared_error(),
        }
    }

    /// What a documented answer of the side is read as (an error documented without a body
    /// keeps its bytes).
    fn reading(self, answer: &ir::Answer) -> ir::Answer {
        match self {
            Side::Success => answer.clone(),
            Side::Error => answer.as_error(),
        }
    }

    /// Whether the side's enum has a variant for a status the description does not list: the
    /// successes always do; the errors unless `default` covers every other status.
    fn has_other(self, op: &ir::Operation) -> bool {
        self == Side::Success || op.error_fallback()
    }
}

/// One side's type and the reader of its answers (a closure of status and body): the one body
/// every answer of the side carries, or the side's enum with a variant per documented status.
pub(super) fn side_reader(
    op: &ir::Operation,
    side: Side,
) -> Result<(TokenStream, TokenStream), EmitError> {
    // No error documents a body: whatever one carries (JSON, a proxy's text, nothing) is kept.
    if side == Side::Error && op.errors.iter().all(|e| e.answer == ir::Answer::Empty) {
        return Ok((
            quote!(::serde_json::Value),
            quote!(|_, body| answer::undocumented(body)),
        ));
    }
    if let Some(answer) = side.single(op) {
        let (ty, reader) = answer_reader(&answer)?;
        return Ok((ty, quote!(|_, body| #reader(body))));
    }
    let name = side.enum_name();
    let mut arms = Vec::new();
    for documented in side.answers(op) {
        let variant = status_variant(&documented.status);
        let answer = side.reading(&documented.answer);
        let (_, reader) = answer_reader(&answer)?;
        let Some(pattern) = status_pattern(&documented.status) else {
            continue;
        };
        arms.push(match answer {
            ir::Answer::Empty => quote!(#pattern => #name::#variant,),
            // A `match`, not `?`: a conversion less to resolve, in each of hundreds of operations.
            _ => quote!(#pattern => match #reader(body) {
                Ok(value) => #name::#variant(value),
                Err(e) => return Err(e),
            },),
        });
    }
    if side.has_other(op) {
        arms.push(quote!(_ => #name::Other { status, body: body.to_vec() },));
    }
    Ok((
        quote!(#name),
        quote!(|status, body| Ok(match status { #(#arms)* })),
    ))
}

/// The variant of a documented status (`Status200`, `Status4XX`, `Default`).
fn status_variant(status: &str) -> Ident {
    match status {
        "default" => format_ident!("Default"),
        _ => format_ident!("Status{}", status),
    }
}

/// The `match` pattern of a documented status: a code, a range (`4XX`), or anything (`default`);
/// `None` for what is none of these (the lower stage leaves such statuses out).
fn status_pattern(status: &str) -> Option<TokenStream> {
    if status == "default" {
        return Some(quote!(_));
    }
    if let Ok(code) = status.parse::<u16>() {
        let code = Literal::u16_unsuffixed(code);
        return Some(quote!(#code));
    }
    let hundreds = status.strip_suffix("XX")?.parse::<u16>().ok()?;
    let (low, high) = (
        Literal::u16_unsuffixed(hundreds * 100),
        Literal::u16_unsuffixed(hundreds * 100 + 99),
    );
    Some(quote!(#low..=#high))
}

/// The operation's enum of one side (`Response`, `Error`), when the side's answers differ (empty
/// otherwise).
pub(super) fn answer_enum(op: &ir::Operation, side: Side) -> Result<TokenStream, EmitError> {
    if side.single(op).is_some() {
        return Ok(TokenStream::new());
    }
    let mut variants = Vec::new();
    for documented in side.answers(op) {
        let variant = status_variant(&documented.status);
        let answer = side.reading(&documented.answer);
        let (ty, _) = answer_reader(&answer)?;
        let what = match (&documented.answer, &answer) {
            (_, ir::Answer::Json(_)) => "its JSON body",
            (_, ir::Answer::Text) => "its text",
            (ir::Answer::Empty, _) => "what it carries as bytes (it is documented without a body)",
            (_, ir::Answer::Bytes) => "its bytes",
            (_, ir::Answer::Empty) => "no body",
        };
        let what = match documented.status.as_str() {
            "default" => format!("Any other status (`default`), with {what}."),
            status => format!("The `{status}` answer, with {what}."),
        };
        let doc = match &documented.doc {
            Some(text) => lines(&format!("{}\n\n{what}", doc_text(Some(text), ""))),
            None => lines(&what),
        };
        variants.push(match answer {
            ir::Answer::Empty => quote! { #doc #variant, },
            _ => quote! { #doc #variant(#ty), },
        });
    }
    let (doc, other_doc, attributes) = match side {
        Side::Success => (
            format!(
                "A success answer of [`{}`]: one variant per documented status.",
                op.name
            ),
            "A 2xx answer the API description does not list, with its bytes.",
            TokenStream::new(),
        ),
        Side::Error => (
            format!(
                "An error answer of [`{}`] (in `ApiError::Status`): one variant per documented \
                 status. Non-exhaustive: a status the API description lists later becomes a \
                 variant of its own without breaking a `match`.",
                op.name
            ),
            "A status the API description does not list, with its bytes.",
            quote!(#[non_exhaustive]),
        ),
    };
    let doc = lines(&doc);
    if side.has_other(op) {
        let other_doc = lines(other_doc);
        variants.push(quote! {
            #other_doc
            Other {
                /// The HTTP status.
                status: u16,
                /// The body as received.
                body: Vec<u8>,
            },
        });
    }
    let name = side.enum_name();
    // One answer is read per request: boxing its large variants would cost an allocation and a
    // `Box` in every match, to save stack space nobody keeps.
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #attributes
        pub enum #name {
            #(#variants)*
        }
    })
}

/// A struct of typed headers (an operation's `Headers`, an event's `…Headers`), read from a
/// header map; empty when there are none.
pub(super) fn headers_struct(
    name: &str,
    headers: &[ir::ResponseHeader],
    doc: &str,
) -> Result<TokenStream, EmitError> {
    if headers.is_empty() {
        return Ok(TokenStream::new());
    }
    let name = ident(name)?;
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    for header in headers {
        let field = ident(&header.name)?;
        let ty = match header.kind {
            ir::HeaderKind::Integer => quote!(i64),
            ir::HeaderKind::Number => quote!(f64),
            ir::HeaderKind::Boolean => quote!(bool),
            ir::HeaderKind::DateTime => quote!(crate::support::DateTime),
            ir::HeaderKind::Text => quote!(String),
        };
        let statuses: Vec<String> = header.statuses.iter().map(|s| format!("`{s}`")).collect();
        let declared = match statuses.len() {
            0 => format!("`{}`.", docs_code(&header.wire_name)),
            n => format!(
                "`{}`, declared on the {} answer{}.",
                docs_code(&header.wire_name),
                statuses.join(", "),
                if n == 1 { "" } else { "s" }
            ),
        };
        let doc = match &header.doc {
            Some(text) => lines(&format!("{}\n\n{declared}", doc_text(Some(text), ""))),
            None => lines(&declared),
        };
        fields.push(quote! { #doc pub #field: Option<#ty>, });
        let wire = header.wire_name.to_ascii_lowercase();
        reads.push(quote! { #field: crate::answer::header(headers, #wire), });
    }
    let doc = lines(doc);
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl From<&request::http::HeaderMap> for #name {
            fn from(headers: &request::http::HeaderMap) -> #name {
                #name { #(#reads)* }
            }
        }
    })
}
