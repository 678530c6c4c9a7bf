//! Requests: one submodule per operation with the request type, a builder whose required parameters
//! are checked by the compiler (typestate), the `Operation` impl, and the module's `api` function.

use super::answers::{answer_enum, headers_struct, side_reader, Side};
use super::docs::{doc_text, lines};
use super::types::docs_code;
use super::{ident, type_tokens, EmitError};
use crate::ir::{self, ParamLocation, Presence, Security, TypeRef};
use crate::names::{ident as name, Case};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// How one security scheme's credential is made: the function's (`&str`) arguments and body, and
/// its description.
pub(super) fn credential(scheme: &ir::SecurityScheme) -> (Vec<Ident>, TokenStream, String) {
    let name = &scheme.name;
    let args = |names: &[&str]| names.iter().map(|n| format_ident!("{}", n)).collect();
    match &scheme.kind {
        Security::Bearer => (
            args(&["token"]),
            quote!(crate::request::Credential::bearer(#name, token)),
            "`Authorization: Bearer <token>`".to_owned(),
        ),
        Security::Basic => (
            args(&["user", "password"]),
            quote!(crate::request::Credential::basic(#name, user, password)),
            "HTTP basic authentication".to_owned(),
        ),
        Security::ApiKeyHeader(header) => (
            args(&["key"]),
            quote!(crate::request::Credential::api_key_header(#name, #header, key)),
            format!("the key in the `{header}` header"),
        ),
        Security::ApiKeyQuery(param) => (
            args(&["key"]),
            quote!(crate::request::Credential::api_key_query(#name, #param, key)),
            format!("the key in the `{param}` query parameter"),
        ),
        Security::ClientCredentials { token_url, json } => {
            let (auth, how) = match json {
                true => (
                    quote!(Json),
                    "in a JSON body, as the API's token operation takes them",
                ),
                false => (quote!(Basic), "with HTTP basic authentication"),
            };
            (
                args(&["client_id", "client_secret"]),
                quote!(crate::request::Credential::client_credentials(
                    #name,
                    #token_url,
                    client_id,
                    client_secret,
                    crate::oauth::ClientAuth::#auth,
                )),
                format!(
                    "an OAuth 2.0 client-credentials flow: the client's id and secret ({how}) \
                     get a token from `{}`, sent as `Authorization: Bearer <token>`; the client \
                     keeps it until shortly before it expires",
                    docs_code(token_url)
                ),
            )
        }
    }
}

/// The function that makes a client-credentials scheme's credential from a token got elsewhere
/// (`<scheme>_token`), unless another scheme's function has that name.
pub(super) fn token_fn(api: &ir::Api, scheme: &ir::SecurityScheme) -> Option<Ident> {
    let Security::ClientCredentials { .. } = scheme.kind else {
        return None;
    };
    let name = format!("{}_token", scheme.fn_name);
    let taken = api.schemes.iter().any(|s| s.fn_name == name);
    (!taken).then(|| format_ident!("{}", name))
}

/// `pub fn api(…)`: the default server and the credential of the default security scheme; and
/// `pub mod credentials`: one function per security scheme.
pub fn api_fn(module: &ir::Module) -> Result<TokenStream, EmitError> {
    let api = module.api.clone().unwrap_or_default();
    let (base_arg, base_value, where_text) = match &api.base_url {
        Some(url) => (
            TokenStream::new(),
            quote!(#url),
            format!("at its default server `{url}`"),
        ),
        None => (
            quote!(base_url: &str,),
            quote!(base_url),
            "at `base_url`".to_owned(),
        ),
    };
    let default = api
        .default_scheme
        .as_ref()
        .and_then(|d| api.schemes.iter().find(|s| s.name == *d));
    let (cred_arg, apply, how) = match default {
        Some(scheme) => {
            let (args, _, how) = credential(scheme);
            let f = ident(&scheme.fn_name)?;
            (
                quote!(#(#args: &str),*),
                quote!(?.with_credential(credentials::#f(#(#args),*)?)),
                format!(
                    "authenticated with {how} (security scheme `{}`)",
                    scheme.name
                ),
            )
        }
        None => (
            TokenStream::new(),
            TokenStream::new(),
            "without credentials".to_owned(),
        ),
    };
    let apply = if apply.is_empty() {
        quote!(crate::request::Api::new(#base_value))
    } else {
        quote!(Ok(crate::request::Api::new(#base_value) #apply))
    };
    let doc = lines(&format!(
        "The API {where_text}, {how}.\n\n\
         Point it elsewhere (a test server, a self-hosted install) with \
         [`Api::with_base_url`](crate::request::Api::with_base_url); add the credentials of other \
         security schemes with [`Api::with_credential`](crate::request::Api::with_credential) and \
         the functions of [`credentials`]."
    ));
    let mut fns = Vec::new();
    for scheme in &api.schemes {
        let (args, body, how) = credential(scheme);
        let f = ident(&scheme.fn_name)?;
        let args = quote!(#(#args: &str),*);
        let text = format!(
            "{}\n\nThe credential of the security scheme `{}`: {how}.",
            doc_text(
                scheme.doc.as_deref(),
                &format!("The `{}` security scheme.", docs_code(&scheme.name))
            ),
            docs_code(&scheme.name)
        );
        let doc = lines(&text);
        fns.push(quote! {
            #doc
            pub fn #f(#args) -> Result<crate::request::Credential, crate::request::RequestError> {
                #body
            }
        });
        if let Some(token_fn) = token_fn(&api, scheme) {
            let name = &scheme.name;
            let doc = lines(&format!(
                "The credential of the security scheme `{}` from a token you got yourself: sent \
                 as `Authorization: Bearer <token>`, never renewed.",
                docs_code(name)
            ));
            fns.push(quote! {
                #doc
                pub fn #token_fn(token: &str) -> Result<crate::request::Credential, crate::request::RequestError> {
                    crate::request::Credential::bearer(#name, token)
                }
            });
        }
    }
    // With a client-credentials default, `api_with_token` keeps a plain token possible.
    let with_token = match default.and_then(|scheme| Some((scheme, token_fn(&api, scheme)?))) {
        Some((scheme, token_fn)) => {
            let doc = lines(&format!(
                "The API {where_text}, authenticated with a bearer token you got yourself for the \
                 security scheme `{}` (see [`api`] for the client-credentials flow).",
                docs_code(&scheme.name)
            ));
            quote! {
                #doc
                pub fn api_with_token(#base_arg token: &str) -> Result<crate::request::Api, crate::request::RequestError> {
                    Ok(crate::request::Api::new(#base_value)?.with_credential(credentials::#token_fn(token)?))
                }
            }
        }
        None => TokenStream::new(),
    };
    Ok(quote! {
        #doc
        pub fn api(#base_arg #cred_arg) -> Result<crate::request::Api, crate::request::RequestError> {
            #apply
        }

        #with_token

        /// The credentials of this API's security schemes, one function each, for
        /// [`Api::with_credential`](crate::request::Api::with_credential).
        pub mod credentials {
            #(#fns)*
        }
    })
}

/// Something the builder takes: a parameter or the body.
struct Input {
    /// Field and setter name.
    name: Ident,
    /// The type stored.
    ty: TokenStream,
    /// The setter's argument type, and how the stored value is made from `value`.
    arg: TokenStream,
    convert: TokenStream,
    required: bool,
    doc: String,
    /// What the compiler calls it when it is missing (`parameter `x``, `body`).
    what: String,
}

fn param_input(p: &ir::Param) -> Result<Input, EmitError> {
    let ty = type_tokens(&p.ty, "")?;
    let (arg, convert) = match p.ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(value.into())),
        _ => (ty.clone(), quote!(value)),
    };
    let place = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let doc = format!(
        "{}\n\n{} {place} parameter `{}`.",
        doc_text(
            p.doc.as_deref(),
            &format!("The `{}` parameter.", docs_code(&p.wire_name))
        ),
        if p.required { "Required" } else { "Optional" },
        docs_code(&p.wire_name)
    );
    Ok(Input {
        name: ident(&p.name)?,
        ty,
        arg,
        convert,
        required: p.required,
        doc,
        what: format!("`{}`", p.name),
    })
}

/// The Rust type of one media type's body.
fn content_type_tokens(content: &ir::BodyContent) -> Result<TokenStream, EmitError> {
    Ok(match &content.kind {
        ir::BodyKind::Json(ty)
        | ir::BodyKind::Form { ty, .. }
        | ir::BodyKind::Multipart { ty, .. } => type_tokens(ty, "")?,
        ir::BodyKind::Bytes => quote!(Vec<u8>),
        ir::BodyKind::Text => quote!(String),
    })
}

/// The body as a builder input; with several media types, also the enum the caller picks one with.
fn body_input(
    op: &ir::Operation,
    body: &ir::RequestBody,
) -> Result<(Input, TokenStream), EmitError> {
    let media: Vec<String> = body
        .contents
        .iter()
        .map(|c| format!("`{}`", docs_code(&c.media_type)))
        .collect();
    let doc = format!(
        "{}\n\n{} request body ({}).",
        doc_text(body.doc.as_deref(), &format!("The body of `{}`.", op.name)),
        if body.required {
            "Required"
        } else {
            "Optional"
        },
        media.join(", ")
    );
    let name = format_ident!("body");
    let what = "the body".to_owned();
    if let [content] = body.contents.as_slice() {
        let ty = content_type_tokens(content)?;
        let (arg, convert) = match content.kind {
            ir::BodyKind::Bytes => (quote!(impl Into<Vec<u8>>), quote!(value.into())),
            ir::BodyKind::Text => (quote!(impl Into<String>), quote!(value.into())),
            _ => (ty.clone(), quote!(value)),
        };
        let input = Input {
            name,
            ty,
            arg,
            convert,
            required: body.required,
            doc,
            what,
        };
        return Ok((input, TokenStream::new()));
    }
    let mut variants = Vec::new();
    for c in &body.contents {
        let v = ident(&c.variant)?;
        let ty = content_type_tokens(c)?;
        let vdoc = lines(&format!("As `{}`.", docs_code(&c.media_type)));
        variants.push(quote! { #vdoc #v(#ty), });
    }
    let enum_doc = lines(&format!(
        "The body of [`{}`], in one of the media types the operation accepts.",
        op.name
    ));
    // One body is made per request: boxing its large variants would cost an allocation and a `Box`
    // in every match, to save stack space nobody keeps.
    let definition = quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Body {
            #(#variants)*
        }
    };
    let input = Input {
        name,
        ty: quote!(Body),
        arg: quote!(Body),
        convert: quote!(value),
        required: body.required,
        doc,
        what,
    };
    Ok((input, definition))
}

/// Operations a crate may have for their usage examples to be doc tests: beyond it they are shown
/// only, and `cargo xtask wire-check` compiles them.
const DOC_TESTED_OPERATIONS: usize = 100;

pub fn operation(
    krate: &ir::Crate,
    module: &ir::Module,
    op: &ir::Operation,
    crate_name: &str,
) -> Result<TokenStream, EmitError> {
    let op_name = ident(&op.name)?;
    let op_mod = format_ident!("{}", name(&op.name, Case::Snake));
    let builder = format_ident!("{}Builder", op.name);
    let settable: Vec<&ir::Param> = op.params.iter().filter(|p| p.constant.is_none()).collect();
    let mut inputs = settable
        .iter()
        .map(|p| param_input(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut body_enum = TokenStream::new();
    if let Some(body) = &op.body {
        let (input, definition) = body_input(op, body)?;
        inputs.push(input);
        body_enum = definition;
    }
    let required: Vec<&Input> = inputs.iter().filter(|i| i.required).collect();
    let generics: Vec<Ident> = (0..required.len())
        .map(|i| format_ident!("P{}", i))
        .collect();
    let needs: Vec<Ident> = required
        .iter()
        .map(|i| format_ident!("Needs{}", name(&i.name.to_string(), Case::Camel)))
        .collect();

    // The request: private fields, so a built request always passed its checks.
    let mut fields = Vec::new();
    let mut builder_fields = Vec::new();
    let mut start_values = Vec::new();
    let mut take_values = Vec::new();
    for input in &inputs {
        let (field, ty) = (&input.name, &input.ty);
        if let Some(i) = required.iter().position(|r| r.name == input.name) {
            let generic = &generics[i];
            fields.push(quote! { #field: #ty, });
            builder_fields.push(quote! { #field: #generic, });
            start_values.push(quote! { #field: request::Missing, });
            take_values.push(quote! { #field: request::Filled::into_value(self.#field), });
        } else {
            fields.push(quote! { #field: Option<#ty>, });
            builder_fields.push(quote! { #field: Option<#ty>, });
            start_values.push(quote! { #field: None, });
            take_values.push(quote! { #field: self.#field, });
        }
    }

    let setters = setters(&inputs, &required, &generics, &builder);
    let checks = checks(&settable)?;
    let op_impl = operation_impl(module, op, &op_name)?;
    let response_enum = answer_enum(op, Side::Success)?;
    let error_enum = answer_enum(op, Side::Error)?;
    let headers_doc = format!(
        "The headers the API description declares on [`{}`]'s answers, read typed from an \
         answer's header map (`Headers::from(&answer.headers)`, or the `headers` of \
         `ApiError::Status`): each is `None` when the answer does not carry it or its value does \
         not read as its type (the raw value stays in the map).",
        op.name
    );
    let headers_struct = headers_struct("Headers", &op.headers, &headers_doc)?;
    let paginated = paginated(op, &op_name)?;

    let missing_defaults: Vec<TokenStream> = generics
        .iter()
        .map(|g| quote!(#g = request::Missing))
        .collect();
    let mut need_traits = Vec::new();
    for (input, need) in required.iter().zip(&needs) {
        let (field, ty) = (&input.name, &input.ty);
        let message = format!(
            "`{}` needs {}: call `.{field}(…)` before `.build()`",
            op.name, input.what
        );
        let label = format!("{} is not set", input.what);
        let doc = lines(&format!("Implemented once {} is set.", input.what));
        need_traits.push(quote! {
            #doc
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #need: request::Filled<#ty> {}

            impl #need for request::Set<#ty> {}
        });
    }

    let summary = doc_text(
        op.doc.as_deref(),
        &format!("The `{}` operation.", docs_code(&op.id)),
    );
    let operations: usize = krate.modules.iter().map(|m| m.operations.len()).sum();
    let example = super::examples::doc_example(
        krate,
        module,
        op,
        crate_name,
        operations <= DOC_TESTED_OPERATIONS,
    )?;
    let op_doc = lines(&format!(
        "{summary}\n\n`{} {}` (operation `{}`). Start with [`{}::builder`]; with the \
         required parameters only:\n\n{example}",
        op.method,
        docs_code(&op.path),
        docs_code(&op.id),
        op.name
    ));
    let builder_doc = lines(&format!(
        "Builds a [`{}`]. Required parameters (and a required body) are tracked in the type: \
         `build` only compiles once each is set. Every parameter is checked against its schema by \
         `build`.",
        op.name
    ));
    let mod_doc = lines(&format!("The [`{0}`] request and its builder.", op.name));
    // An operation named as its module (Matrix's `sync` in `sync`): the name is the document's.
    let inception = if op_mod == module.name.as_str() {
        quote!(#[allow(clippy::module_inception)])
    } else {
        TokenStream::new()
    };
    let where_clause = if generics.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #( #generics: #needs ),*)
    };
    Ok(quote! {
        pub use self::#op_mod::#op_name;

        #mod_doc
        #inception
        pub mod #op_mod {
            use crate::{answer, request};

            #op_doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #op_name {
                #(#fields)*
            }

            impl #op_name {
                /// Starts a request; see the builder's setters for the parameters.
                pub fn builder() -> #builder {
                    #builder { #(#start_values)* }
                }

                #[inline]
                #[allow(clippy::question_mark)]
                fn check(&self) -> Result<(), request::RequestError> {
                    #(#checks)*
                    Ok(())
                }
            }

            #body_enum
            #response_enum
            #error_enum
            #headers_struct

            #builder_doc
            #[derive(Debug, Clone)]
            #[must_use = "a builder does nothing until `.build()` is called"]
            pub struct #builder<#(#missing_defaults),*> {
                #(#builder_fields)*
            }

            impl<#(#generics),*> #builder<#(#generics),*> {
                #(#setters)*

                /// Checks every parameter and returns the request.
                pub fn build(self) -> Result<#op_name, request::RequestError> #where_clause {
                    let request = #op_name { #(#take_values)* };
                    match request.check() {
                        Ok(()) => Ok(request),
                        Err(e) => Err(e),
                    }
                }
            }

            #(#need_traits)*

            #op_impl
            #paginated
        }
    })
}

fn setters(
    inputs: &[Input],
    required: &[&Input],
    generics: &[Ident],
    builder: &Ident,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for input in inputs {
        let Input {
            name: field,
            ty,
            arg,
            convert: value,
            ..
        } = input;
        let doc = lines(&input.doc);
        if let Some(i) = required.iter().position(|r| r.name == *field) {
            let out_generics: Vec<TokenStream> = generics
                .iter()
                .enumerate()
                .map(|(j, g)| {
                    if j == i {
                        quote!(request::Set<#ty>)
                    } else {
                        quote!(#g)
                    }
                })
                .collect();
            let moves: Vec<TokenStream> = inputs
                .iter()
                .map(|q| {
                    let f = &q.name;
                    if q.name == *field {
                        quote! { #f: request::Set(#value), }
                    } else {
                        quote! { #f: self.#f, }
                    }
                })
                .collect();
            out.push(quote! {
                #doc
                pub fn #field(self, value: #arg) -> #builder<#(#out_generics),*> {
                    #builder { #(#moves)* }
                }
            });
        } else {
            out.push(quote! {
                #doc
                pub fn #field(mut self, value: #arg) -> Self {
                    self.#field = Some(#value);
                    self
                }
            });
        }
    }
    out
}

/// The checks `build` makes: schema constraints, path segments, header values.
fn checks(settable: &[&ir::Param]) -> Result<Vec<TokenStream>, EmitError> {
    let mut out = Vec::new();
    for p in settable {
        let field = ident(&p.name)?;
        let label = &p.name;
        let mut body = Vec::new();
        let c = &p.constraints;
        match &p.ty {
            TypeRef::Integer(_)
                if c.minimum.is_some()
                    || c.maximum.is_some()
                    || c.exclusive_minimum.is_some()
                    || c.exclusive_maximum.is_some() =>
            {
                let lo = c
                    .minimum
                    .map(|m| m.ceil())
                    .into_iter()
                    .chain(c.exclusive_minimum.map(|m| m.floor() + 1.0))
                    .reduce(f64::max);
                let hi = c
                    .maximum
                    .map(|m| m.floor())
                    .into_iter()
                    .chain(c.exclusive_maximum.map(|m| m.ceil() - 1.0))
                    .reduce(f64::min);
                let expected = match (lo, hi) {
                    (Some(lo), Some(hi)) => format!("an integer in {lo}..={hi}"),
                    (Some(lo), None) => format!("an integer >= {lo}"),
                    (None, Some(hi)) => format!("an integer <= {hi}"),
                    (None, None) => "an integer".to_owned(),
                };
                let bound = |b: Option<f64>| match b {
                    Some(v) => {
                        let lit = Literal::i64_unsuffixed(v.abs() as i64);
                        if v < 0.0 {
                            quote!(Some(-#lit))
                        } else {
                            quote!(Some(#lit))
                        }
                    }
                    None => quote!(None),
                };
                let (lo, hi) = (bound(lo), bound(hi));
                let value = if matches!(p.ty, TypeRef::Integer(64)) {
                    quote!(*value)
                } else {
                    quote!(i64::from(*value))
                };
                body.push(or_return(
                    quote! { request::check_integer(#label, #value, #lo, #hi, #expected) },
                ));
            }
            TypeRef::Number
                if c.minimum.is_some()
                    || c.maximum.is_some()
                    || c.exclusive_minimum.is_some()
                    || c.exclusive_maximum.is_some() =>
            {
                let parts: Vec<String> = [
                    c.minimum.map(|m| format!(">= {m}")),
                    c.exclusive_minimum.map(|m| format!("> {m}")),
                    c.maximum.map(|m| format!("<= {m}")),
                    c.exclusive_maximum.map(|m| format!("< {m}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                let expected = format!("a number {}", parts.join(" and "));
                let opt = |b: Option<f64>| match b {
                    Some(v) => quote!(Some(#v)),
                    None => quote!(None),
                };
                let bounds = [
                    opt(c.minimum),
                    opt(c.maximum),
                    opt(c.exclusive_minimum),
                    opt(c.exclusive_maximum),
                ];
                body.push(or_return(quote! {
                    request::check_number(#label, value.as_f64().unwrap_or(f64::NAN), [#(#bounds),*], #expected)
                }));
            }
            TypeRef::String => {
                if c.min_length.is_some() || c.max_length.is_some() {
                    let expected = match (c.min_length, c.max_length) {
                        (Some(lo), Some(hi)) => format!("{lo} to {hi} characters"),
                        (Some(lo), None) => format!("at least {lo} characters"),
                        (None, Some(hi)) => format!("at most {hi} characters"),
                        (None, None) => String::new(),
                    };
                    let opt = |b: Option<u64>| match b {
                        Some(v) => {
                            let lit = Literal::usize_unsuffixed(v as usize);
                            quote!(Some(#lit))
                        }
                        None => quote!(None),
                    };
                    let (lo, hi) = (opt(c.min_length), opt(c.max_length));
                    body.push(or_return(
                        quote! { request::check_length(#label, value, #lo, #hi, #expected) },
                    ));
                }
                if let Some(pattern) = &c.pattern {
                    body.push(or_return(
                        quote! { request::check_pattern(#label, value, #pattern) },
                    ));
                }
            }
            _ => {}
        }
        let explode = p.explode;
        match p.location {
            ParamLocation::Path => body.push(or_return(quote! {
                request::check_path_value(#label, value, #explode)
            })),
            ParamLocation::Header => body.push(or_return(quote! {
                request::check_header_value(#label, value, #explode)
            })),
            // Query and cookie values are percent-encoded on the way out: any text goes.
            ParamLocation::Query | ParamLocation::Cookie => {}
        }
        if body.is_empty() {
            continue;
        }
        out.push(with_value(&field, p.required, quote!(#(#body)*)));
    }
    Ok(out)
}

/// `if let Err(e) = call { return Err(e); }`: what `call?` does where the error types are the same,
/// without a conversion for rustc to resolve (hundreds of operations check several values each;
/// the functions that hold these allow clippy's `question_mark`).
fn or_return(call: TokenStream) -> TokenStream {
    quote! {
        if let Err(e) = #call {
            return Err(e);
        }
    }
}

fn operation_impl(
    module: &ir::Module,
    op: &ir::Operation,
    op_name: &Ident,
) -> Result<TokenStream, EmitError> {
    let method = format_ident!("{}", op.method);
    let id = &op.id;
    let (response, read_success) = side_reader(op, Side::Success)?;
    let (error, read_error) = side_reader(op, Side::Error)?;
    let scopes = if op.scopes.iter().all(Vec::is_empty) {
        TokenStream::new()
    } else {
        let lists = op.scopes.iter().map(|scopes| quote!(&[#(#scopes),*]));
        quote!(const SCOPES: &'static [&'static [&'static str]] = &[#(#lists),*];)
    };
    let idempotency_key = match &op.idempotency_key {
        Some(name) => {
            let name = name.to_ascii_lowercase();
            quote!(const IDEMPOTENCY_KEY: Option<&'static str> = Some(#name);)
        }
        None => TokenStream::new(),
    };
    let default_server = module.api.as_ref().and_then(|a| a.base_url.as_ref());
    let server = match (default_server, &op.server) {
        (Some(default), Some(url)) if default != url => {
            quote!(const SERVER: Option<(&'static str, &'static str)> = Some((#default, #url));)
        }
        _ => TokenStream::new(),
    };
    // The path, literal pieces and encoded parameters in turn.
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        pieces.extend(literal_piece(&rest[..open]));
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let wire = &rest[open + 1..open + close];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == wire)
        {
            pieces.push(match &p.constant {
                Some(value) => quote! { path.push_str(&request::encode(#value)); },
                None => {
                    let field = ident(&p.name)?;
                    let label = &p.name;
                    let explode = p.explode;
                    or_return(quote! {
                        request::push_path_value(&mut path, #label, &self.#field, #explode)
                    })
                }
            });
        }
        rest = &rest[open + close + 1..];
    }
    pieces.extend(literal_piece(rest));
    // A list method only where the operation has parameters there: the trait's default sends none.
    let has = |location| op.params.iter().any(|p| p.location == location);
    let list_method = |name: &str, key: TokenStream, list: TokenStream| {
        let name = format_ident!("{name}");
        quote! {
            #[inline]
            fn #name(&self) -> Result<Vec<(#key, String)>, request::RequestError> {
                #list
            }
        }
    };
    let mut lists = Vec::new();
    if has(ParamLocation::Query) {
        let list = pair_list(op, ParamLocation::Query)?;
        lists.push(list_method("query", quote!(String), list));
    }
    if has(ParamLocation::Header) {
        lists.push(list_method(
            "headers",
            quote!(&'static str),
            header_list(op)?,
        ));
    }
    if has(ParamLocation::Cookie) {
        let list = pair_list(op, ParamLocation::Cookie)?;
        lists.push(list_method("cookies", quote!(String), list));
    }
    let security: Vec<TokenStream> = op
        .security
        .iter()
        .map(|alternative| quote!(&[#(#alternative),*]))
        .collect();
    let body = match &op.body {
        Some(body) => body_fn(module, body)?,
        None => TokenStream::new(),
    };
    // Every method is `#[inline]`: it is compiled in the crate that sends the request, and only if
    // it does, not in the generated crate (each one instantiates serde for its bodies and answers,
    // which is most of a large crate's build time otherwise).
    Ok(quote! {
        impl request::Operation for #op_name {
            type Response = #response;
            type Error = #error;
            const ID: &'static str = #id;
            const SECURITY: &'static [&'static [&'static str]] = &[#(#security),*];
            #scopes
            #idempotency_key
            #server

            #[inline]
            fn method(&self) -> request::http::Method {
                request::http::Method::#method
            }

            #[inline]
            #[allow(clippy::question_mark)]
            fn path(&self) -> Result<String, request::RequestError> {
                let mut path = String::new();
                #(#pieces)*
                Ok(path)
            }

            #(#lists)*

            #body

            #[inline]
            fn decode(
                status: u16,
                headers: &request::http::HeaderMap,
                body: &[u8],
            ) -> Result<Self::Response, request::ApiError<Self::Error>> {
                answer::decode_with(status, headers, body, #read_success, #read_error)
            }
        }
    })
}

/// Appends a literal piece of the path (nothing for an empty one).
fn literal_piece(literal: &str) -> Option<TokenStream> {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(c), None) => Some(quote! { path.push(#c); }),
        _ => Some(quote! { path.push_str(#literal); }),
    }
}

fn style_tokens(style: ir::Style) -> TokenStream {
    match style {
        ir::Style::Form => quote!(request::Style::Form),
        ir::Style::Simple => quote!(request::Style::Simple),
        ir::Style::DeepObject => quote!(request::Style::DeepObject),
        ir::Style::SpaceDelimited => quote!(request::Style::SpaceDelimited),
        ir::Style::PipeDelimited => quote!(request::Style::PipeDelimited),
    }
}

/// `body` run on `value`, the parameter's value: always for a required parameter, when it is set for
/// an optional one.
fn with_value(field: &Ident, required: bool, body: TokenStream) -> TokenStream {
    if required {
        quote! { { let value = &self.#field; #body } }
    } else {
        quote! { if let Some(value) = &self.#field { #body } }
    }
}

/// A function body that lists the pairs of every parameter at `location` that has a value:
/// `constant` makes the pair of a parameter with one allowed value, `put` the statement that adds
/// `value`'s pairs to `list`.
fn wire_list(
    op: &ir::Operation,
    location: ParamLocation,
    constant: fn(&str, &str) -> TokenStream,
    put: fn(&ir::Param) -> TokenStream,
) -> Result<TokenStream, EmitError> {
    let mut constants = Vec::new();
    let mut steps = Vec::new();
    for p in op.params.iter().filter(|p| p.location == location) {
        match &p.constant {
            Some(value) => constants.push(constant(&p.wire_name, value)),
            None => steps.push(with_value(&ident(&p.name)?, p.required, put(p))),
        }
    }
    Ok(if steps.is_empty() {
        quote! { Ok(vec![#(#constants),*]) }
    } else {
        quote! {
            let mut list = vec![#(#constants),*];
            #(#steps)*
            Ok(list)
        }
    })
}

/// The body of `query()` (or `cookies()`): every query (cookie) parameter that has a value, laid
/// out in its style.
fn pair_list(op: &ir::Operation, location: ParamLocation) -> Result<TokenStream, EmitError> {
    wire_list(
        op,
        location,
        |wire, value| quote! { (#wire.to_owned(), #value.to_owned()) },
        |p| {
            let (wire, style, explode) = (&p.wire_name, style_tokens(p.style), p.explode);
            quote! { request::pairs(#wire, value, #style, #explode, &mut list)?; }
        },
    )
}

/// The body of `headers()`: every header parameter that has a value, in the simple style.
fn header_list(op: &ir::Operation) -> Result<TokenStream, EmitError> {
    wire_list(
        op,
        ParamLocation::Header,
        |wire, value| quote! { (#wire, #value.to_owned()) },
        |p| {
            let (wire, label, explode) = (&p.wire_name, &p.name, p.explode);
            quote! { list.push((#wire, request::simple_text(#label, value, #explode)?)); }
        },
    )
}

/// `fn body()`: the body encoded as its media type says.
fn body_fn(module: &ir::Module, body: &ir::RequestBody) -> Result<TokenStream, EmitError> {
    let take = if body.required {
        quote! { let body = &self.body; }
    } else {
        quote! {
            let Some(body) = &self.body else {
                return Ok(None);
            };
        }
    };
    let encode = if let [content] = body.contents.as_slice() {
        encode_content(module, content, quote!(body))?
    } else {
        let mut arms = Vec::new();
        for c in &body.contents {
            let v = ident(&c.variant)?;
            let encode = encode_content(module, c, quote!(value))?;
            arms.push(quote! { Body::#v(value) => #encode, });
        }
        quote! { match body { #(#arms)* } }
    };
    Ok(quote! {
        #[inline]
        fn body(&self) -> Result<Option<request::Body>, request::RequestError> {
            #take
            Ok(Some(#encode))
        }
    })
}

/// An expression that encodes `value` (a reference to the body) as one media type.
fn encode_content(
    module: &ir::Module,
    content: &ir::BodyContent,
    value: TokenStream,
) -> Result<TokenStream, EmitError> {
    // A wildcard media type (`*/*`, `image/*`) is no content type a request can carry.
    let content_type = if content.media_type.contains('*') {
        "application/octet-stream"
    } else {
        content.media_type.as_str()
    };
    let encoding = |encoding: &[ir::FieldEncoding]| {
        let entries = encoding.iter().map(|e| {
            let (wire, style, explode) = (&e.wire_name, style_tokens(e.style), e.explode);
            quote!((#wire, #style, #explode))
        });
        quote!(&[#(#entries),*])
    };
    Ok(match &content.kind {
        ir::BodyKind::Json(_) => quote!(request::json_body(#value, #content_type)?),
        ir::BodyKind::Form { encoding: e, .. } => {
            let e = encoding(e);
            quote!(request::form_body(#value, #e)?)
        }
        ir::BodyKind::Multipart { ty, encoding: e } => {
            let e = encoding(e);
            let parts = part_fields(module, ty, &value)?;
            quote!(request::multipart_body(#value, #e, &[#(#parts),*])?)
        }
        ir::BodyKind::Bytes => quote!(request::raw_body(#value, #content_type)),
        ir::BodyKind::Text => quote!(request::raw_body(#value.as_bytes(), #content_type)),
    })
}

/// `(wire name, Option<&Part>)` for every `Part` field of a multipart body's struct.
fn part_fields(
    module: &ir::Module,
    ty: &TypeRef,
    value: &TokenStream,
) -> Result<Vec<TokenStream>, EmitError> {
    let def = match ty {
        TypeRef::Named { module: m, name } if *m == module.name => {
            module.types.iter().find(|t| t.name == *name)
        }
        _ => None,
    };
    let Some(ir::TypeDef {
        kind: ir::TypeKind::Struct(s),
        ..
    }) = def
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for f in s.fields.iter().filter(|f| f.ty == TypeRef::Part) {
        let (field, wire) = (ident(&f.name)?, &f.wire_name);
        out.push(match f.presence() {
            Presence::Required => quote!((#wire, Some(&#value.#field))),
            Presence::Optional | Presence::RequiredNullable => {
                quote!((#wire, #value.#field.as_ref()))
            }
            Presence::OptionalNullable => quote!((#wire, #value.#field.value())),
        });
    }
    Ok(out)
}

/// `Paginated` for an operation with `x-pagination`.
fn paginated(op: &ir::Operation, op_name: &Ident) -> Result<TokenStream, EmitError> {
    let Some(p) = &op.pagination else {
        return Ok(TokenStream::new());
    };
    let item = type_tokens(&p.item, "")?;
    let (items, items_optional) = field_path(&p.items, false)?;
    let items = if items_optional {
        quote!(#items.unwrap_or_default())
    } else {
        items
    };
    let (has_next, has_next_optional) = field_path(&p.has_next, true)?;
    let has_next = if has_next_optional {
        quote!(#has_next.copied().unwrap_or(false))
    } else {
        has_next
    };
    let offset = ident(&p.offset_param)?;
    let offset_ty = match op
        .params
        .iter()
        .find(|q| q.name == p.offset_param)
        .map(|q| &q.ty)
    {
        Some(TypeRef::Integer(32)) => quote!(i32),
        _ => quote!(i64),
    };
    let offset_required = op
        .params
        .iter()
        .any(|q| q.name == p.offset_param && q.required);
    let next_offset = if offset_required {
        quote! { next.#offset = self.#offset.saturating_add(received); }
    } else {
        quote! { next.#offset = Some(self.#offset.unwrap_or(0).saturating_add(received)); }
    };
    Ok(quote! {
        impl request::Paginated for #op_name {
            type Item = #item;

            fn items(response: Self::Response) -> Vec<Self::Item> {
                #items
            }

            fn has_next(response: &Self::Response) -> bool {
                #has_next
            }

            fn next_page(&self, received: usize) -> Self {
                let received = <#offset_ty>::try_from(received).unwrap_or(<#offset_ty>::MAX);
                let mut next = self.clone();
                #next_offset
                next
            }
        }
    })
}

/// An expression for the value at `steps` below `response`: moved out of it (`borrowed == false`)
/// or borrowed from it. Returns the expression and whether it is an `Option` (some step may be absent).
fn field_path(steps: &[ir::FieldStep], borrowed: bool) -> Result<(TokenStream, bool), EmitError> {
    let mut expr = quote!(response);
    let mut optional = false;
    for step in steps {
        let f = ident(&step.field)?;
        // The field of `v`, as `T` (required) or `Option<T>` (may be absent), boxes opened; a
        // checked newtype (validating mode) holds its struct in `.0`.
        let access = |v: TokenStream| {
            let v = if step.newtype { quote!(#v.0) } else { v };
            field_access(&v, &f, step, borrowed)
        };
        expr = match (optional, step.presence) {
            (false, _) => access(expr),
            (true, Presence::Required) if borrowed => quote!(#expr.map(|v| &v.#f)),
            (true, Presence::Required) => {
                let inner = access(quote!(v));
                quote!(#expr.map(|v| #inner))
            }
            (true, _) => {
                let inner = access(quote!(v));
                quote!(#expr.and_then(|v| #inner))
            }
        };
        optional |= step.presence != Presence::Required;
    }
    Ok((expr, optional))
}

/// The field `f` of the value `v`, as `T` or `Option<T>`, moved out or borrowed, boxes opened.
fn field_access(v: &TokenStream, f: &Ident, step: &ir::FieldStep, borrowed: bool) -> TokenStream {
    match (step.presence, step.boxed, borrowed) {
        (Presence::Required, false, false) => quote!(#v.#f),
        (Presence::Required, true, false) => quote!((*#v.#f)),
        (Presence::Required, _, true) => quote!(#v.#f),
        (Presence::Optional | Presence::RequiredNullable, false, false) => quote!(#v.#f),
        (Presence::Optional | Presence::RequiredNullable, true, false) => {
            quote!(#v.#f.map(|b| *b))
        }
        (Presence::Optional | Presence::RequiredNullable, false, true) => {
            quote!(#v.#f.as_ref())
        }
        (Presence::Optional | Presence::RequiredNullable, true, true) => {
            quote!(#v.#f.as_deref())
        }
        (Presence::OptionalNullable, false, false) => quote!(#v.#f.into_value()),
        (Presence::OptionalNullable, true, false) => quote!(#v.#f.into_value().map(|b| *b)),
        (Presence::OptionalNullable, false, true) => quote!(#v.#f.value()),
        (Presence::OptionalNullable, true, true) => quote!(#v.#f.value().map(|b| &**b)),
    }
}
