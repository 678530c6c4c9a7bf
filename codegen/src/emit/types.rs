//! Type definitions and their inherent impls (`as_str`, `FromStr`, `Display` for enums).

use super::docs::{doc_attrs, doc_text, lines};
use super::features::{cfg_tokens, Gate};
use super::EmitError;
use super::{ident, type_tokens};
use crate::ir::{self, EnumRepr, EnumValue, Presence, TypeKind};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

/// The type definition of one IR type (without serde impls); `fields`: each struct field's gate
/// when it has one of its own.
pub fn type_def(
    module: &ir::Module,
    def: &ir::TypeDef,
    fields: &[Option<&Gate>],
) -> Result<TokenStream, EmitError> {
    let name = ident(&def.name)?;
    let fallback = format!("The `{}` schema.", def.name);
    let doc = lines(&format!(
        "{}\n\nSchema: `{}`",
        doc_text(def.doc.as_deref(), &fallback),
        docs_code(&def.origin)
    ));
    Ok(match &def.kind {
        TypeKind::Struct(s) => struct_def(module, &name, doc, s, fields)?,
        TypeKind::Enum(e) => enum_def(&name, doc, e)?,
        TypeKind::Union(u) => union_def(module, &name, doc, u)?,
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, &module.name)?;
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Checked(c) => {
            let inner = type_tokens(&c.inner, &module.name)?;
            let field_doc = lines("The value, checked against the schema when it was read.");
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                pub struct #name(#field_doc pub #inner);
            }
        }
    })
}

/// The Rust type of a field, from its type and presence.
pub fn field_type(module: &ir::Module, field: &ir::Field) -> Result<TokenStream, EmitError> {
    let value = value_type(module, field)?;
    Ok(match field.presence() {
        Presence::Optional => quote!(Option<#value>),
        _ => value,
    })
}

/// The type of a field's value when it is present on the wire (what one `next_value` reads).
pub(crate) fn value_type(module: &ir::Module, field: &ir::Field) -> Result<TokenStream, EmitError> {
    let mut ty = type_tokens(&field.ty, &module.name)?;
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    Ok(match field.presence() {
        Presence::Required | Presence::Optional => ty,
        Presence::RequiredNullable => quote!(Option<#ty>),
        Presence::OptionalNullable => quote!(crate::support::Nullable<#ty>),
    })
}

fn struct_def(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    s: &ir::Struct,
    gates: &[Option<&Gate>],
) -> Result<TokenStream, EmitError> {
    let mut fields = Vec::new();
    for (f, gate) in s.fields.iter().zip(gates) {
        let fname = ident(&f.name)?;
        let ty = field_type(module, f)?;
        let presence = match f.presence() {
            Presence::Required => "Required.",
            Presence::RequiredNullable => "Required; `None` is an explicit `null`.",
            Presence::Optional => "Optional; `None` when absent.",
            Presence::OptionalNullable => "Optional and nullable: absent, `null`, or a value.",
        };
        let fallback = format!("The `{}` property.", docs_code(&f.wire_name));
        let mut text = format!(
            "{}\n\n{presence} Wire name: `{}`.",
            doc_text(f.doc.as_deref(), &fallback),
            docs_code(&f.wire_name)
        );
        if let (Some(gate), ir::UnknownFields::Keep(extra)) = (gate, &s.unknown_fields) {
            text.push_str(&format!(
                " A field only with {} on (which compiles its type); otherwise the property is \
                 kept in `{extra}` as received.",
                gate.describe()
            ));
        }
        let fdoc = lines(&text);
        let cfg = cfg_tokens(*gate);
        fields.push(quote! { #fdoc #cfg pub #fname: #ty, });
    }
    if let ir::UnknownFields::Keep(extra) = &s.unknown_fields {
        let extra = ident(extra)?;
        let edoc = lines("Properties the schema does not list, kept as received and written back.");
        fields.push(quote! { #edoc pub #extra: crate::support::UnknownFields, });
    }
    let defaultable = s.fields.iter().all(|f| !f.required);
    let (derives, constructor) = if defaultable {
        (
            quote!(#[derive(Debug, Clone, PartialEq, Default)]),
            TokenStream::new(),
        )
    } else {
        (
            quote!(#[derive(Debug, Clone, PartialEq)]),
            constructor(module, name, s, gates)?,
        )
    };
    Ok(quote! {
        #doc
        #derives
        pub struct #name { #(#fields)* }
        #constructor
    })
}

/// `new`, taking the required fields in the schema's order, every other field absent: optional
/// fields are then set by name with struct update syntax (`Name { note: Some(…), ..Name::new(…) }`),
/// which a field the schema adds later does not break. (No setter per field: on large APIs they
/// would be tens of thousands of functions to compile.)
fn constructor(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    s: &ir::Struct,
    gates: &[Option<&Gate>],
) -> Result<TokenStream, EmitError> {
    let mut params = Vec::new();
    let mut values = Vec::new();
    let mut required = Vec::new();
    for (f, gate) in s.fields.iter().zip(gates) {
        let fname = ident(&f.name)?;
        let cfg = cfg_tokens(*gate);
        match f.presence() {
            Presence::Required => {
                let ty = field_type(module, f)?;
                params.push(quote!(#cfg #fname: impl Into<#ty>));
                values.push(quote!(#cfg #fname: #fname.into(),));
                required.push(format!("`{}`", f.name));
            }
            // `Option<T>` as it is: `None` would not say which `impl Into` it is.
            Presence::RequiredNullable => {
                let ty = field_type(module, f)?;
                params.push(quote!(#cfg #fname: #ty));
                values.push(quote!(#cfg #fname,));
                required.push(format!("`{}`", f.name));
            }
            Presence::Optional => values.push(quote!(#cfg #fname: None,)),
            // Named, not `Default::default()`: nothing for rustc to infer, in thousands of `new`s.
            Presence::OptionalNullable => {
                values.push(quote!(#cfg #fname: crate::support::Nullable::Absent,))
            }
        }
    }
    if let ir::UnknownFields::Keep(extra) = &s.unknown_fields {
        let extra = ident(extra)?;
        values.push(quote!(#extra: crate::support::UnknownFields::new(),));
    }
    let doc = lines(&format!(
        "Makes a `{name}` from its required properties ({}); every other one is absent. Set \
         others by name: `{name} {{ field: …, ..{name}::new(…) }}`.",
        required.join(", ")
    ));
    let allow = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    Ok(quote! {
        impl #name {
            #doc
            #allow
            pub fn new(#(#params),*) -> #name {
                #name { #(#values)* }
            }
        }
    })
}

/// A wire name or value shown inside backticks in a doc comment: backticks cannot appear there, and
/// control characters are written as escapes.
pub fn docs_code(wire: &str) -> String {
    if !wire.chars().any(|c| c == '`' || c.is_control()) {
        return wire.to_owned();
    }
    let mut out = String::with_capacity(wire.len() + 2);
    for c in wire.chars() {
        match c {
            '`' => out.push('\''),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

fn enum_def(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    e: &ir::Enum,
) -> Result<TokenStream, EmitError> {
    let fallback = ident(&e.fallback)?;
    let mut variants = Vec::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    for v in &e.variants {
        let vname = ident(&v.name)?;
        let (lit, shown) = match &v.value {
            EnumValue::String(s) => (
                Literal::string(s).into_token_stream(),
                format!("\"{}\"", docs_code(s)),
            ),
            EnumValue::Integer(n) => {
                let abs = Literal::u64_unsuffixed(n.unsigned_abs());
                let lit = if *n < 0 { quote!(-#abs) } else { quote!(#abs) };
                (lit, n.to_string())
            }
        };
        let vdoc = doc_attrs(v.doc.as_deref(), &format!("The value `{shown}`."));
        variants.push(quote! { #vdoc #vname, });
        names.push(vname);
        values.push(lit);
    }
    let fallback_doc = lines("A value the schema does not list, kept as received.");
    let (inner, accessors) = match e.repr {
        EnumRepr::String => (
            quote!(String),
            quote! {
                /// The value as it is written on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#names => #values, )*
                        Self::#fallback(v) => v.as_str(),
                    }
                }

                /// The listed value that `value` names, if any.
                pub fn from_listed(value: &str) -> Option<Self> {
                    match value {
                        #( #values => Some(Self::#names), )*
                        _ => None,
                    }
                }
            },
        ),
        EnumRepr::Integer => (
            quote!(i64),
            quote! {
                /// The value as it is written on the wire.
                pub fn as_i64(&self) -> i64 {
                    match self {
                        #( Self::#names => #values, )*
                        Self::#fallback(v) => *v.value(),
                    }
                }

                /// The listed value that `value` names, if any.
                pub fn from_listed(value: i64) -> Option<Self> {
                    match value {
                        #( #values => Some(Self::#names), )*
                        _ => None,
                    }
                }
            },
        ),
    };
    // `non_exhaustive`: the vendor may list a new value, and the regenerated crate then has a new
    // variant; code outside the crate matches with a `_` arm, so that stays an additive change.
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #fallback_doc
            #fallback(crate::support::Unrecognized<#inner>),
        }

        impl #name {
            /// Every value the schema lists.
            pub const LISTED: &'static [#name] = &[ #( #name::#names ),* ];

            #accessors
        }
    })
}

fn union_def(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    u: &ir::Union,
) -> Result<TokenStream, EmitError> {
    let mut variants = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name)?;
        let mut ty = type_tokens(&v.ty, &module.name)?;
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let vdoc = match (&u.tag, &v.tag_value) {
            (Some(tag), Some(value)) => lines(&format!(
                "`{}` is `\"{}\"`.",
                docs_code(tag),
                docs_code(value)
            )),
            _ => lines(&format!("A value that matches `{}`.", v.name)),
        };
        variants.push(quote! { #vdoc #vname(#ty), });
    }
    if let (Some(tag), Some(fallback)) = (&u.tag, &u.fallback) {
        let fallback = ident(fallback)?;
        let fdoc = lines(&format!(
            "An object whose `{}` the schema does not list, kept as received.",
            docs_code(tag)
        ));
        variants.push(quote! { #fdoc #fallback(::serde_json::Value), });
    }
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }
    })
}
