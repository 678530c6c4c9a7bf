//! Requests: one submodule per operation with the request type, a builder whose required parameters
//! are checked by the compiler (typestate), the `Operation` impl, and the module's `api` function.

use super::docs::{doc_text, lines};
use super::types::docs_code;
use super::{ident, type_tokens, EmitError};
use crate::ir::{self, ParamLocation, Presence, Security, TypeRef};
use crate::names::{ident as name, Case};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// Everything a module needs for its operations (empty without operations).
pub fn operations(module: &ir::Module) -> Result<TokenStream, EmitError> {
    if module.operations.is_empty() {
        return Ok(TokenStream::new());
    }
    let mut out = api_fn(module);
    for op in &module.operations {
        out.extend(operation(op)?);
    }
    Ok(out)
}

/// `pub fn api(…)`: the default server and the security scheme of the module's API description.
fn api_fn(module: &ir::Module) -> TokenStream {
    let api = module.api.clone().unwrap_or(ir::Api {
        base_url: None,
        security: None,
    });
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
    let (cred_arg, apply, how) = match &api.security {
        Some(Security::Bearer) => (
            quote!(token: &str),
            quote!(?.bearer(token)),
            "authenticated with `Authorization: Bearer <token>`".to_owned(),
        ),
        Some(Security::Basic) => (
            quote!(user: &str, password: &str),
            quote!(?.basic(user, password)),
            "authenticated with HTTP basic authentication".to_owned(),
        ),
        Some(Security::ApiKeyHeader(header)) => (
            quote!(key: &str),
            quote!(?.api_key_header(#header, key)),
            format!("authenticated with the key in the `{header}` header"),
        ),
        Some(Security::ApiKeyQuery(param)) => (
            quote!(key: &str),
            quote!(.map(|api| api.api_key_query(#param, key))),
            format!("authenticated with the key in the `{param}` query parameter"),
        ),
        None => (
            TokenStream::new(),
            TokenStream::new(),
            "without credentials".to_owned(),
        ),
    };
    let doc = lines(&format!(
        "The API {where_text}, {how}.\n\n\
         Point it elsewhere (a test server, a self-hosted install) with \
         [`Api::with_base_url`](crate::request::Api::with_base_url)."
    ));
    quote! {
        #doc
        pub fn api(#base_arg #cred_arg) -> Result<crate::request::Api, crate::request::RequestError> {
            crate::request::Api::new(#base_value) #apply
        }
    }
}

/// The Rust type of a parameter's value.
fn param_type(param: &ir::Param) -> Result<TokenStream, EmitError> {
    // Paths from inside the operation's submodule: always through `crate::`.
    type_tokens(&param.ty, "")
}

fn operation(op: &ir::Operation) -> Result<TokenStream, EmitError> {
    let op_name = ident(&op.name)?;
    let op_mod = format_ident!("{}", name(&op.name, Case::Snake));
    let builder = format_ident!("{}Builder", op.name);
    let settable: Vec<&ir::Param> = op.params.iter().filter(|p| p.constant.is_none()).collect();
    let required: Vec<&ir::Param> = settable.iter().copied().filter(|p| p.required).collect();
    let generics: Vec<Ident> = (0..required.len())
        .map(|i| format_ident!("P{}", i))
        .collect();
    let needs: Vec<Ident> = required
        .iter()
        .map(|p| format_ident!("Needs{}", name(&p.name, Case::Camel)))
        .collect();

    // The request: private fields, so a built request always passed its checks.
    let mut fields = Vec::new();
    let mut builder_fields = Vec::new();
    let mut start_values = Vec::new();
    let mut take_values = Vec::new();
    for p in &settable {
        let field = ident(&p.name)?;
        let ty = param_type(p)?;
        if p.required {
            let i = required
                .iter()
                .position(|r| r.name == p.name)
                .unwrap_or_default();
            let generic = &generics[i];
            fields.push(quote! { #field: #ty, });
            builder_fields.push(quote! { #field: #generic, });
            start_values.push(quote! { #field: crate::request::Missing, });
            let need = &needs[i];
            take_values.push(quote! { #field: #need::into_value(self.#field), });
        } else {
            fields.push(quote! { #field: Option<#ty>, });
            builder_fields.push(quote! { #field: Option<#ty>, });
            start_values.push(quote! { #field: None, });
            take_values.push(quote! { #field: self.#field, });
        }
    }

    let setters = setters(&settable, &required, &generics, &builder)?;
    let checks = checks(&settable)?;
    let op_impl = operation_impl(op, &op_name)?;
    let paginated = paginated(op, &op_name)?;

    let missing_defaults: Vec<TokenStream> = generics
        .iter()
        .map(|g| quote!(#g = crate::request::Missing))
        .collect();
    let mut need_traits = Vec::new();
    for (p, need) in required.iter().zip(&needs) {
        let ty = param_type(p)?;
        let message = format!(
            "`{}` needs `{}`: call `.{}(…)` before `.build()`",
            op.name, p.name, p.name
        );
        let label = format!("`{}` is not set", p.name);
        let doc = lines(&format!(
            "Implemented once the required parameter `{}` is set.",
            p.name
        ));
        need_traits.push(quote! {
            #doc
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #need {
                #[doc(hidden)]
                fn into_value(self) -> #ty;
            }

            impl #need for crate::request::Set<#ty> {
                fn into_value(self) -> #ty {
                    self.0
                }
            }
        });
    }

    let summary = doc_text(
        op.doc.as_deref(),
        &format!("The `{}` operation.", docs_code(&op.id)),
    );
    let op_doc = lines(&format!(
        "{summary}\n\n`{} {}` (operation `{}`). Start with [`{}::builder`].",
        op.method,
        docs_code(&op.path),
        docs_code(&op.id),
        op.name
    ));
    let builder_doc = lines(&format!(
        "Builds a [`{}`]. Required parameters are tracked in the type: `build` only compiles once \
         each is set. Every parameter is checked against its schema by `build`.",
        op.name
    ));
    let mod_doc = lines(&format!("The [`{0}`] request and its builder.", op.name));
    let where_clause = if generics.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #( #generics: #needs ),*)
    };
    Ok(quote! {
        pub use self::#op_mod::#op_name;

        #mod_doc
        pub mod #op_mod {
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

                fn check(&self) -> Result<(), crate::request::RequestError> {
                    #(#checks)*
                    Ok(())
                }
            }

            #builder_doc
            #[derive(Debug, Clone)]
            #[must_use = "a builder does nothing until `.build()` is called"]
            pub struct #builder<#(#missing_defaults),*> {
                #(#builder_fields)*
            }

            impl<#(#generics),*> #builder<#(#generics),*> {
                #(#setters)*

                /// Checks every parameter and returns the request.
                pub fn build(self) -> Result<#op_name, crate::request::RequestError> #where_clause {
                    let request = #op_name { #(#take_values)* };
                    request.check()?;
                    Ok(request)
                }
            }

            #(#need_traits)*

            #op_impl
            #paginated
        }
    })
}

fn setters(
    settable: &[&ir::Param],
    required: &[&ir::Param],
    generics: &[Ident],
    builder: &Ident,
) -> Result<Vec<TokenStream>, EmitError> {
    let mut out = Vec::new();
    for p in settable {
        let field = ident(&p.name)?;
        let ty = param_type(p)?;
        let (arg, value) = match p.ty {
            TypeRef::String => (quote!(impl Into<String>), quote!(value.into())),
            _ => (ty.clone(), quote!(value)),
        };
        let place = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let text = format!(
            "{}\n\n{} {place} parameter `{}`.",
            doc_text(
                p.doc.as_deref(),
                &format!("The `{}` parameter.", docs_code(&p.wire_name))
            ),
            if p.required { "Required" } else { "Optional" },
            docs_code(&p.wire_name)
        );
        let doc = lines(&text);
        if let Some(i) = required.iter().position(|r| r.name == p.name) {
            let mut after = generics.to_vec();
            let out_generics: Vec<TokenStream> = after
                .iter_mut()
                .enumerate()
                .map(|(j, g)| {
                    if j == i {
                        quote!(crate::request::Set<#ty>)
                    } else {
                        quote!(#g)
                    }
                })
                .collect();
            let mut moves = Vec::new();
            for q in settable {
                let f = ident(&q.name)?;
                moves.push(if q.name == p.name {
                    quote! { #f: crate::request::Set(#value), }
                } else {
                    quote! { #f: self.#f, }
                });
            }
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
    Ok(out)
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
                body.push(
                    quote! { crate::request::check_integer(#label, #value, #lo, #hi, #expected)?; },
                );
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
                body.push(quote! {
                    crate::request::check_number(#label, value.as_f64().unwrap_or(f64::NAN), [#(#bounds),*], #expected)?;
                });
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
                    body.push(quote! { crate::request::check_length(#label, value, #lo, #hi, #expected)?; });
                }
                if let Some(pattern) = &c.pattern {
                    body.push(quote! { crate::request::check_pattern(#label, value, #pattern)?; });
                }
            }
            _ => {}
        }
        match p.location {
            ParamLocation::Path => {
                body.push(quote! { crate::request::check_segment(#label, &value.to_string())?; })
            }
            ParamLocation::Header => {
                body.push(quote! { crate::request::check_header(#label, &value.to_string())?; })
            }
            ParamLocation::Query => {}
        }
        if body.is_empty() {
            continue;
        }
        out.push(if p.required {
            quote! { { let value = &self.#field; #(#body)* } }
        } else {
            quote! { if let Some(value) = &self.#field { #(#body)* } }
        });
    }
    Ok(out)
}

fn operation_impl(op: &ir::Operation, op_name: &Ident) -> Result<TokenStream, EmitError> {
    let method = format_ident!("{}", op.method);
    let id = &op.id;
    let response = match &op.response {
        Some(ty) => type_tokens(ty, "")?,
        None => quote!(()),
    };
    let error = type_tokens(&op.error, "")?;
    let decode = match &op.response {
        Some(_) => TokenStream::new(),
        None => quote! {
            fn decode(status: u16, body: &[u8]) -> Result<(), crate::request::ApiError<Self::Error>> {
                crate::request::decode_no_body(status, body)
            }
        },
    };
    // The path, literal pieces and encoded parameters in turn.
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let literal = &rest[..open];
        if !literal.is_empty() {
            pieces.push(quote! { path.push_str(#literal); });
        }
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
                Some(value) => quote! { path.push_str(&crate::request::encode(#value)); },
                None => {
                    let field = ident(&p.name)?;
                    quote! { path.push_str(&crate::request::encode(&self.#field.to_string())); }
                }
            });
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote! { path.push_str(#rest); });
    }
    let (query, headers) = (
        wire_list(op, ParamLocation::Query)?,
        wire_list(op, ParamLocation::Header)?,
    );
    Ok(quote! {
        impl crate::request::Operation for #op_name {
            type Response = #response;
            type Error = #error;
            const ID: &'static str = #id;

            fn method(&self) -> http::Method {
                http::Method::#method
            }

            fn path(&self) -> String {
                let mut path = String::new();
                #(#pieces)*
                path
            }

            fn query(&self) -> Vec<(&'static str, String)> {
                #query
            }

            fn headers(&self) -> Vec<(&'static str, String)> {
                #headers
            }

            #decode
        }
    })
}

/// A function body that lists every query (or header) parameter that has a value, by wire name.
fn wire_list(op: &ir::Operation, location: ParamLocation) -> Result<TokenStream, EmitError> {
    let mut always = Vec::new();
    let mut maybe = Vec::new();
    for p in op.params.iter().filter(|p| p.location == location) {
        let wire = &p.wire_name;
        if let Some(value) = &p.constant {
            always.push(quote! { (#wire, #value.to_owned()) });
            continue;
        }
        let field = ident(&p.name)?;
        match (&p.ty, p.required) {
            (TypeRef::Array(_), true) => maybe.push(quote! {
                list.extend(self.#field.iter().map(|item| (#wire, item.to_string())));
            }),
            (TypeRef::Array(_), false) => maybe.push(quote! {
                if let Some(value) = &self.#field {
                    list.extend(value.iter().map(|item| (#wire, item.to_string())));
                }
            }),
            (_, true) => always.push(quote! { (#wire, self.#field.to_string()) }),
            (_, false) => maybe.push(quote! {
                if let Some(value) = &self.#field {
                    list.push((#wire, value.to_string()));
                }
            }),
        }
    }
    Ok(if maybe.is_empty() {
        quote! { vec![#(#always),*] }
    } else {
        quote! {
            let mut list = vec![#(#always),*];
            #(#maybe)*
            list
        }
    })
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
        impl crate::request::Paginated for #op_name {
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
