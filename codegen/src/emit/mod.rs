//! The emit stage: IR in; each piece of a Rust file out as chunks (token streams for the write
//! stage to lay out, and the runtime macros' tables as text), with the crate's manifests and
//! `api.json`. It never looks at JSON.
//!
//! One emitter per concern: [`types`] writes the type definitions and their inherent impls, [`serde`]
//! the `Serialize`/`Deserialize` impls (and an enum's conversions), [`docs`] the rustdoc,
//! [`operations`] the requests and their builders, [`answers`] what an operation's answers decode
//! into (its `Response` and `Error` enums, its `Headers`), [`webhooks`] a module's events,
//! [`features`] which cargo feature turns each operation, event and type on, [`manifest`] the
//! `Cargo.toml`s and `lib.rs`s of the crate and its runtime.

mod answers;
mod api_manifest;
mod docs;
pub mod examples;
pub use docs::DocTexts;
pub mod features;
use features::{Gate, Layout};
mod manifest;
mod operations;
mod schema;
mod serde;
mod types;
mod webhooks;

pub use manifest::CrateSettings;

use crate::diag::{Diagnostic, Location};
use crate::ir;
use proc_macro2::{Ident, Span, TokenStream};
use std::collections::BTreeMap;

/// The support module every generated crate carries, written verbatim.
pub const SUPPORT_RS: &str = include_str!("../../runtime/support.rs");
/// The request machinery, written when some module has operations.
pub const REQUEST_RS: &str = include_str!("../../runtime/request.rs");
/// Checks and wire encoding of parameters and bodies (reached as `request::…`), written along
/// with `request.rs`.
pub const ENCODE_RS: &str = include_str!("../../runtime/encode.rs");
/// Reading answers: statuses, headers, bodies, and the errors of an answer that is no success.
pub const ANSWER_RS: &str = include_str!("../../runtime/answer.rs");
/// Reading webhook events, written along with `request.rs`.
pub const EVENT_RS: &str = include_str!("../../runtime/event.rs");
/// The retry policy, written along with `request.rs`.
pub const RETRY_RS: &str = include_str!("../../runtime/retry.rs");
/// OAuth 2.0 client credentials and their token cache, written along with `request.rs`.
pub const OAUTH_RS: &str = include_str!("../../runtime/oauth.rs");
/// Webhook signature verification (cargo feature `webhooks`), written along with `request.rs`.
pub const WEBHOOK_RS: &str = include_str!("../../runtime/webhook.rs");
/// The checks of the validating mode, written when some type checks values.
pub const VALIDATE_RS: &str = include_str!("../../runtime/validate.rs");
/// The optional `reqwest` client (cargo feature `client`), written along with `request.rs`.
pub const CLIENT_RS: &str = include_str!("../../runtime/client.rs");

/// The files of a generated crate, by path relative to the crate root.
#[derive(Debug, Default)]
pub struct Output {
    /// Rust sources, each as the pieces it is made of, in order; [`chunks`] emits a piece (the
    /// write stage does, one piece at a time and several at once).
    pub rust: BTreeMap<String, Vec<Piece>>,
    /// Files written as they are.
    pub text: BTreeMap<String, String>,
}

/// One piece of a Rust source file: what [`chunks`] emits at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// `lib.rs`, whole.
    LibRs,
    /// A module file's inner docs.
    ModuleDoc(usize),
    /// A type of a module (by index): its definition, inherent, serde and schemars impls.
    Type(usize, usize),
    /// A module's listing of its schemas (cargo feature `schemars`).
    Listing(usize),
    /// A module's `api` function and `credentials`.
    Api(usize),
    /// An operation of a module (by index): its request type, builder and `Operation` impl.
    Operation(usize, usize),
    /// A module's `webhooks`: its events.
    Webhooks(usize),
}

/// Plans the whole crate: the text files, and the pieces of each Rust file. (`api.json` is
/// [`api_json`], made beside the rendering.)
pub fn emit(krate: &ir::Crate, layout: &Layout, settings: &CrateSettings) -> Output {
    let mut out = Output::default();
    out.text.insert(
        "Cargo.toml".into(),
        manifest::cargo_toml(krate, layout, settings),
    );
    // The runtime: a crate of its own beside the models, its sources as they are.
    out.text.insert(
        "runtime/Cargo.toml".into(),
        manifest::runtime_cargo_toml(krate, settings),
    );
    out.text.insert(
        "runtime/src/lib.rs".into(),
        manifest::runtime_lib_rs(krate, settings),
    );
    out.text
        .insert("runtime/src/support.rs".into(), SUPPORT_RS.to_owned());
    if krate.has_checks() {
        out.text
            .insert("runtime/src/validate.rs".into(), VALIDATE_RS.to_owned());
    }
    if krate.has_http() {
        out.text
            .insert("runtime/src/request.rs".into(), REQUEST_RS.to_owned());
        out.text
            .insert("runtime/src/encode.rs".into(), ENCODE_RS.to_owned());
        out.text
            .insert("runtime/src/answer.rs".into(), ANSWER_RS.to_owned());
        out.text
            .insert("runtime/src/event.rs".into(), EVENT_RS.to_owned());
        out.text
            .insert("runtime/src/retry.rs".into(), RETRY_RS.to_owned());
        out.text
            .insert("runtime/src/oauth.rs".into(), OAUTH_RS.to_owned());
        out.text
            .insert("runtime/src/client.rs".into(), CLIENT_RS.to_owned());
        out.text
            .insert("runtime/src/webhook.rs".into(), WEBHOOK_RS.to_owned());
    }
    out.rust.insert("src/lib.rs".into(), vec![Piece::LibRs]);
    for (m, module) in krate.modules.iter().enumerate() {
        let mut pieces = vec![Piece::ModuleDoc(m)];
        pieces.extend((0..module.types.len()).map(|t| Piece::Type(m, t)));
        pieces.push(Piece::Listing(m));
        if !module.operations.is_empty() {
            pieces.push(Piece::Api(m));
            pieces.extend((0..module.operations.len()).map(|o| Piece::Operation(m, o)));
        }
        if !module.webhooks.is_empty() {
            pieces.push(Piece::Webhooks(m));
        }
        out.rust.insert(format!("src/{}.rs", module.name), pieces);
    }
    out
}

/// `api.json`: the crate's public API as data (see [`api_manifest`]).
pub fn api_json(
    krate: &ir::Crate,
    layout: &Layout,
    settings: &CrateSettings,
) -> Result<String, EmitError> {
    api_manifest::api_json(krate, layout, &settings.name)
}

/// Part of a piece, in order: tokens for the write stage to lay out, or text laid out already.
#[derive(Debug)]
pub enum Chunk {
    Tokens(TokenStream),
    Text(String),
}

/// The table of one of the runtime's macros (`crate::support::object! { row; row; … }`), laid out
/// one row a line as it is written: a pretty-printer would fill the lines with the rows' tokens,
/// and the rows need no parsing.
pub(crate) struct Table(String);

impl Table {
    pub(crate) fn new(path: &str) -> Table {
        Table(format!("{path}! {{\n"))
    }

    /// A row, ended by `;`.
    pub(crate) fn row(&mut self, row: &str) {
        self.0.push_str("    ");
        self.0.push_str(row);
        self.0.push_str(";\n");
    }

    /// The table, its last row left without `;` when `last` is given.
    pub(crate) fn finish(mut self, last: Option<&str>) -> Chunk {
        if let Some(row) = last {
            self.0.push_str("    ");
            self.0.push_str(row);
            self.0.push('\n');
        }
        self.0.push_str("}\n");
        Chunk::Text(self.0)
    }
}

/// A string as a Rust literal (`"a \"b\""`), as the tokens write it.
///
/// Text of printable ASCII without quotes or backslashes (feature names, type names: most of what
/// is written this way) needs no escape and is quoted as it is; the rest is escaped by
/// `proc_macro2`, which is slow enough in the dev profile to show in a large document's run.
pub(crate) fn string_literal(text: &str) -> String {
    if text
        .bytes()
        .all(|b| (b.is_ascii_graphic() && b != b'"' && b != b'\\') || b == b' ')
    {
        let mut quoted = String::with_capacity(text.len() + 2);
        quoted.push('"');
        quoted.push_str(text);
        quoted.push('"');
        return quoted;
    }
    proc_macro2::Literal::string(text).to_string()
}

/// One piece of a Rust file, emitted: its chunks, and the doc texts their tokens mark.
#[derive(Debug)]
pub struct Emitted {
    pub chunks: Vec<Chunk>,
    pub docs: DocTexts,
    /// The cargo features any of which turns every item of the piece on, when it has any.
    pub gate: Option<Gate>,
}

/// The chunks of one piece of a Rust file.
pub fn chunks(
    krate: &ir::Crate,
    layout: &Layout,
    settings: &CrateSettings,
    piece: Piece,
) -> Result<Emitted, EmitError> {
    let (chunks, docs) = docs::set_aside(|| piece_chunks(krate, layout, settings, piece));
    let gate = match piece {
        Piece::Type(m, t) => Some(layout.modules[m].types[t].clone()),
        Piece::Operation(m, o) => Some(Gate::of(&layout.modules[m].operations[o])),
        Piece::Webhooks(m) => layout.modules[m].webhooks.as_deref().map(Gate::of),
        _ => None,
    };
    Ok(Emitted {
        chunks: chunks?,
        docs,
        gate,
    })
}

fn piece_chunks(
    krate: &ir::Crate,
    layout: &Layout,
    settings: &CrateSettings,
    piece: Piece,
) -> Result<Vec<Chunk>, EmitError> {
    let module = |m: usize| &krate.modules[m];
    let tokens = match piece {
        Piece::Type(m, t) => {
            let (module, def) = (module(m), &module(m).types[t]);
            let fields = layout.modules[m].field_gates(t, def);
            return Ok(vec![
                Chunk::Tokens(types::type_def(module, def, &fields)?),
                serde::impls(module, def, &fields)?,
                schema::impls(module, def, &fields)?,
            ]);
        }
        Piece::LibRs => manifest::lib_rs(krate, layout, settings)?,
        Piece::ModuleDoc(m) => {
            let doc = docs::doc_text(
                module(m).doc.as_deref(),
                &format!("Types of the `{}` schemas.", module(m).name),
            );
            docs::inner_lines(&doc)
        }
        Piece::Listing(m) => return Ok(vec![schema::listing(module(m), &layout.modules[m])?]),
        Piece::Api(m) => operations::api_fn(module(m))?,
        Piece::Operation(m, o) => {
            operations::operation(krate, module(m), &module(m).operations[o], &settings.name)?
        }
        Piece::Webhooks(m) => webhooks::webhooks_module(module(m))?,
    };
    Ok(vec![Chunk::Tokens(tokens)])
}

/// An IR name that is no valid identifier: a broken promise of the lower stage, reported, not panicked on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    pub name: String,
}

impl From<EmitError> for Diagnostic {
    fn from(e: EmitError) -> Diagnostic {
        Diagnostic::error(
            Location {
                file: "(generator)".into(),
                pointer: String::new(),
                line_col: None,
            },
            format!("internal error: `{}` is not a valid identifier", e.name),
        )
        .with_hint("please report this with the schema that caused it")
    }
}

/// An identifier from the IR, checked.
pub(crate) fn ident(name: &str) -> Result<Ident, EmitError> {
    if crate::names::is_valid_ident(name) {
        Ok(Ident::new(name, Span::call_site()))
    } else {
        Err(EmitError {
            name: name.to_owned(),
        })
    }
}

/// The Rust type of a type reference, as seen from `module`.
pub(crate) fn type_tokens(ty: &ir::TypeRef, module: &str) -> Result<TokenStream, EmitError> {
    type_path(ty, module, &quote::quote!(crate::))
}

/// The Rust type of a type reference, as seen from `module`, other modules' types (and the
/// runtime's) named after `prefix` (`crate::` inside the crate; nothing where the modules are in
/// scope).
pub(crate) fn type_path(
    ty: &ir::TypeRef,
    module: &str,
    prefix: &TokenStream,
) -> Result<TokenStream, EmitError> {
    use quote::quote;
    Ok(match ty {
        ir::TypeRef::Bool => quote!(bool),
        ir::TypeRef::Integer(32) => quote!(i32),
        ir::TypeRef::Integer(_) => quote!(i64),
        ir::TypeRef::Number => quote!(::serde_json::Number),
        ir::TypeRef::String => quote!(String),
        ir::TypeRef::DateTime => quote!(#prefix support::DateTime),
        ir::TypeRef::UnixTime => quote!(#prefix support::UnixTime),
        ir::TypeRef::Part => quote!(#prefix request::Part),
        ir::TypeRef::Null => quote!(()),
        ir::TypeRef::Json => quote!(::serde_json::Value),
        ir::TypeRef::JsonObject => quote!(::serde_json::Map<String, ::serde_json::Value>),
        ir::TypeRef::Array(inner) => {
            let inner = type_path(inner, module, prefix)?;
            quote!(Vec<#inner>)
        }
        ir::TypeRef::Nullable(inner) => {
            let inner = type_path(inner, module, prefix)?;
            quote!(Option<#inner>)
        }
        ir::TypeRef::Map(inner) => {
            let inner = type_path(inner, module, prefix)?;
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        ir::TypeRef::Named { module: m, name } => {
            let name = ident(name)?;
            if m == module {
                quote!(#name)
            } else {
                let m = ident(m)?;
                quote!(#prefix #m::#name)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_literal_writes_what_the_tokens_write() {
        for text in [
            "",
            "orders-read",
            "a b ~!#$%&'()*+,-./:;<=>?@[]^_`{|}",
            "say \"hi\"",
            "back\\slash",
            "tab\tnew\nline\r\0",
            "caf\u{e9} \u{1f600} \u{200b}",
            "\u{7f}\u{1b}",
        ] {
            let tokens = proc_macro2::Literal::string(text).to_string();
            assert_eq!(super::string_literal(text), tokens, "{text:?}");
        }
    }
}
