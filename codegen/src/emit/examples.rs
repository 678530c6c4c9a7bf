//! How to call an operation: the code that builds its request with the example values the lower
//! stage chose (`ir::Param::example`, `ir::BodyContent::example`) and makes an `Api` that meets its
//! security. One source for two readers: the usage example in each operation's docs, and the driver
//! `cargo xtask wire-check` builds every request of a document with.
//!
//! The code names the crate's modules as if they were in scope (`sakari::ListCalls`,
//! `request::Api`); [`Call::uses`] says which to bring in. Scalars are literals, listed enum values
//! their variants, date-times parsed, and anything else read from its JSON text.

use super::operations::token_fn;
use super::{ident, type_path, EmitError};
use crate::ir::{self, BodyKind, Fill, Security, TypeRef};
use crate::names::{ident as name, Case};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// Where requests go when the document names no absolute server.
pub const EXAMPLE_SERVER: &str = "https://api.example.com";

/// The code of one operation's call, and the crate's modules it names.
pub struct Call<'k> {
    krate: &'k ir::Crate,
    /// Top-level modules of the crate the code names (`sakari`, `request`, `support`).
    uses: BTreeSet<String>,
}

impl<'k> Call<'k> {
    pub fn new(krate: &'k ir::Crate) -> Self {
        Call {
            krate,
            uses: BTreeSet::new(),
        }
    }

    /// The crate's modules the code made so far names, sorted: what `use <crate>::{…};` brings in.
    pub fn uses(&self) -> impl Iterator<Item = &str> {
        self.uses.iter().map(String::as_str)
    }

    fn module(&mut self, name: &str) -> Result<proc_macro2::Ident, EmitError> {
        self.uses.insert(name.to_owned());
        ident(name)
    }

    /// `Op::builder()` with the example value of each parameter `fill` takes (every required one;
    /// with [`Fill::All`] the optional ones too) and of the body, then `.build()?`.
    pub fn build(
        &mut self,
        module: &ir::Module,
        op: &ir::Operation,
        fill: Fill,
    ) -> Result<TokenStream, EmitError> {
        let m = self.module(&module.name)?;
        let op_name = ident(&op.name)?;
        let mut setters = Vec::new();
        for p in op.params.iter().filter(|p| p.constant.is_none()) {
            if p.required || fill == Fill::All {
                let setter = ident(&p.name)?;
                let value = self.value(&p.ty, &p.example)?;
                setters.push(quote!(.#setter(#value)));
            }
        }
        if let Some(body) = &op.body {
            if let (Some(content), true) =
                (body.contents.first(), body.required || fill == Fill::All)
            {
                let mut value = self.body(content, fill)?;
                if body.contents.len() > 1 {
                    let op_mod = format_ident!("{}", name(&op.name, Case::Snake));
                    let variant = ident(&content.variant)?;
                    value = quote!(#m::#op_mod::Body::#variant(#value));
                }
                setters.push(quote!(.body(#value)));
            }
        }
        Ok(quote!(#m::#op_name::builder() #(#setters)* .build()?))
    }

    /// An `Api` that meets the operation's first security requirement: the module's `api(…)`
    /// (or `api_with_token`) when that is its default scheme and server, else one at the module's
    /// server (or [`EXAMPLE_SERVER`]) with a credential for each scheme.
    pub fn api(
        &mut self,
        module: &ir::Module,
        op: &ir::Operation,
    ) -> Result<TokenStream, EmitError> {
        let m = self.module(&module.name)?;
        let api = module.api.clone().unwrap_or_default();
        let requirement: Vec<&ir::SecurityScheme> = op
            .security
            .first()
            .into_iter()
            .flatten()
            .filter_map(|n| api.schemes.iter().find(|s| &s.name == n))
            .collect();
        // `api(…)` takes the base URL when the document has no absolute server.
        let base = match api.base_url {
            None => quote!(#EXAMPLE_SERVER,),
            Some(_) => TokenStream::new(),
        };
        let is_default = |s: &ir::SecurityScheme| api.default_scheme.as_deref() == Some(&s.name);
        if let [scheme] = requirement.as_slice() {
            if is_default(scheme) {
                if let Security::ClientCredentials { .. } = scheme.kind {
                    if token_fn(&api, scheme).is_some() {
                        return Ok(quote!(#m::api_with_token(#base "token")?));
                    }
                } else {
                    let args = arguments(&scheme.kind);
                    return Ok(quote!(#m::api(#base #(#args),*)?));
                }
            }
        }
        self.uses.insert("request".to_owned());
        let server = server(&api);
        let mut credentials = Vec::new();
        for scheme in requirement {
            let credential = match (&scheme.kind, token_fn(&api, scheme)) {
                (Security::ClientCredentials { .. }, Some(f)) => {
                    quote!(#m::credentials::#f("token")?)
                }
                // A token got elsewhere: no token server is asked.
                (Security::ClientCredentials { .. }, None) => {
                    let name = &scheme.name;
                    quote!(request::Credential::bearer(#name, "token")?)
                }
                (kind, _) => {
                    let f = ident(&scheme.fn_name)?;
                    let args = arguments(kind);
                    quote!(#m::credentials::#f(#(#args),*)?)
                }
            };
            credentials.push(quote!(.with_credential(#credential)));
        }
        Ok(quote!(request::Api::new(#server)? #(#credentials)*))
    }

    /// The body's example value as the builder's `.body(…)` takes it.
    fn body(&mut self, content: &ir::BodyContent, fill: Fill) -> Result<TokenStream, EmitError> {
        let example = content.example.as_ref().map(|e| match fill {
            Fill::Required => &e.required,
            Fill::All => &e.all,
        });
        let text = match example {
            Some(Value::String(s)) => s.clone(),
            _ => "example".to_owned(),
        };
        Ok(match &content.kind {
            BodyKind::Json(ty) | BodyKind::Form { ty, .. } | BodyKind::Multipart { ty, .. } => {
                self.value(ty, example.unwrap_or(&Value::Null))?
            }
            BodyKind::Bytes => {
                let bytes = Literal::byte_string(text.as_bytes());
                quote!(#bytes.to_vec())
            }
            BodyKind::Text => quote!(#text),
        })
    }

    /// A Rust expression for the JSON `value` that a setter taking `ty` accepts (a string
    /// parameter takes `impl Into<String>`).
    pub fn value(&mut self, ty: &TypeRef, value: &Value) -> Result<TokenStream, EmitError> {
        self.value_in(ty, value, false)
    }

    /// A Rust expression of type `ty` for the JSON `value`; `nested` inside a `vec!` or `Some`.
    fn value_in(
        &mut self,
        ty: &TypeRef,
        value: &Value,
        nested: bool,
    ) -> Result<TokenStream, EmitError> {
        Ok(match (ty, value) {
            (TypeRef::String, Value::String(s)) if nested => quote!(#s.to_owned()),
            (TypeRef::String, Value::String(s)) => quote!(#s),
            (TypeRef::Integer(_), Value::Number(n)) if n.is_i64() => {
                let n = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
                quote!(#n)
            }
            (TypeRef::Bool, Value::Bool(b)) => quote!(#b),
            (TypeRef::DateTime, Value::String(s)) => {
                self.uses.insert("support".to_owned());
                quote!(#s.parse::<support::DateTime>()?)
            }
            (TypeRef::Nullable(inner), v) if !v.is_null() => {
                let inner = self.value_in(inner, v, true)?;
                quote!(Some(#inner))
            }
            (TypeRef::Array(inner), Value::Array(items))
                if items.iter().all(|i| self.simple(inner, i)) =>
            {
                let items = items
                    .iter()
                    .map(|i| self.value_in(inner, i, true))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            (TypeRef::Named { module, name }, v) => match self.listed_variant(module, name, v) {
                Some(variant) => {
                    let (m, t, v) = (self.module(module)?, ident(name)?, ident(variant)?);
                    quote!(#m::#t::#v)
                }
                None => self.read_json(ty, value)?,
            },
            _ => self.read_json(ty, value)?,
        })
    }

    /// Whether [`Call::value`] writes the value as a literal, a variant or a parse (not from JSON).
    fn simple(&self, ty: &TypeRef, value: &Value) -> bool {
        match (ty, value) {
            (TypeRef::String, Value::String(_))
            | (TypeRef::Bool, Value::Bool(_))
            | (TypeRef::DateTime, Value::String(_)) => true,
            (TypeRef::Integer(_), Value::Number(n)) => n.is_i64(),
            (TypeRef::Named { module, name }, v) => self.listed_variant(module, name, v).is_some(),
            _ => false,
        }
    }

    /// The variant of the enum `module::name` that stands for `value`, if it is listed.
    fn listed_variant(&self, module: &str, name: &str, value: &Value) -> Option<&'k str> {
        let def = self
            .krate
            .modules
            .iter()
            .find(|m| m.name == module)?
            .types
            .iter()
            .find(|t| t.name == name)?;
        let ir::TypeKind::Enum(e) = &def.kind else {
            return None;
        };
        e.variants
            .iter()
            .find(|v| match (&v.value, value) {
                (ir::EnumValue::String(a), Value::String(b)) => a == b,
                (ir::EnumValue::Integer(a), Value::Number(b)) => b.as_i64() == Some(*a),
                _ => false,
            })
            .map(|v| v.name.as_str())
    }

    /// `serde_json::from_str::<T>(r#"…"#)?`: the value read from its JSON text.
    fn read_json(&mut self, ty: &TypeRef, value: &Value) -> Result<TokenStream, EmitError> {
        let mut named = Vec::new();
        collect_modules(ty, &mut named);
        for m in named {
            self.module(m)?;
        }
        if matches!(ty, TypeRef::DateTime | TypeRef::UnixTime) {
            self.uses.insert("support".to_owned());
        }
        let ty = type_path(ty, "", &TokenStream::new())?;
        let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
        let literal = raw_string(&text);
        Ok(quote!(serde_json::from_str::<#ty>(#literal)?))
    }
}

/// The string arguments a scheme's credential function takes, with example values.
fn arguments(kind: &Security) -> Vec<&'static str> {
    match kind {
        Security::Bearer => vec!["token"],
        Security::Basic => vec!["user", "password"],
        Security::ApiKeyHeader(_) | Security::ApiKeyQuery(_) => vec!["key"],
        Security::ClientCredentials { .. } => vec!["client-id", "client-secret"],
    }
}

/// The modules of the named types inside a type reference.
fn collect_modules<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named { module, .. } => out.push(module),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            collect_modules(inner, out)
        }
        _ => {}
    }
}

/// A raw string literal of `text` (`r#"…"#`, with as many `#` as it needs).
fn raw_string(text: &str) -> Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// The module's default server (the lower stage keeps only an absolute one), else
/// [`EXAMPLE_SERVER`].
pub fn server(api: &ir::Api) -> String {
    api.base_url
        .clone()
        .unwrap_or_else(|| EXAMPLE_SERVER.to_owned())
}

/// The usage example of an operation's docs: a Markdown code block that builds the request with
/// its required parameters and turns it into an `http::Request`; compiled and run as a doc test
/// when `runnable`, else shown only (a large crate's thousand doc tests would take a user's
/// `cargo test` minutes; `cargo xtask wire-check` compiles them).
pub fn doc_example(
    krate: &ir::Crate,
    module: &ir::Module,
    op: &ir::Operation,
    crate_name: &str,
    runnable: bool,
) -> Result<String, EmitError> {
    let mut call = Call::new(krate);
    let build = call.build(module, op, Fill::Required)?;
    let api = call.api(module, op)?;
    let root = ident(&crate_name.replace('-', "_"))?;
    let uses: Vec<proc_macro2::Ident> = call.uses().map(ident).collect::<Result<_, _>>()?;
    let body = quote! {
        fn main() -> Result<(), Box<dyn std::error::Error>> {
            use #root::request::Operation as _;
            use #root::{#(#uses),*};
            let op = #build;
            let request = op.to_request(&#api)?;
            println!("{} {}", request.method(), request.uri());
            Ok(())
        }
    };
    let text = match syn::parse2::<syn::File>(body) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => {
            return Err(EmitError {
                name: format!("the usage example of `{}`: {e}", op.name),
            })
        }
    };
    let mut out = String::from(if runnable {
        "```rust\n"
    } else {
        "```rust,ignore\n"
    });
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let inner = line.strip_prefix("    ").unwrap_or(line);
        // The `fn main` around it and its `Ok(())` are hidden in a doc test.
        let hidden = i == 0 || i + 1 == lines.len() || inner == "Ok(())";
        if !hidden {
            out.push_str(inner);
            out.push('\n');
        } else if runnable {
            out.push_str("# ");
            out.push_str(inner);
            out.push('\n');
        }
    }
    out.push_str("```");
    Ok(out)
}
