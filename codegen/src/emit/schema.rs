//! `schemars::JsonSchema` impls (cargo feature `schemars` of the generated crate): each type describes
//! itself as a JSON Schema again, so a test can hold it against the schema it came from.

use super::{ident, type_tokens, EmitError};
use crate::ir::{self, EnumRepr, EnumValue, Presence, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The `JsonSchema` impl of one IR type (none for aliases, which name other types), as a table
/// for `support::schema!`.
pub fn impls(module: &ir::Module, def: &ir::TypeDef) -> Result<TokenStream, EmitError> {
    let name = ident(&def.name)?;
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_schema(module, s)?,
        TypeKind::Enum(e) => enum_schema(e),
        TypeKind::Union(u) => {
            let mut variants = Vec::new();
            for v in &u.variants {
                let ty = type_tokens(&v.ty, &module.name)?;
                variants.push(quote! { #ty; });
            }
            quote! { union; #(#variants)* }
        }
        TypeKind::Checked(c) => {
            let inner = type_tokens(&c.inner, &module.name)?;
            quote! { checked #inner }
        }
        TypeKind::Alias(_) => return Ok(TokenStream::new()),
    };
    let id = format!("{}::{}", module.name, def.name);
    Ok(quote! {
        crate::support::schema! {
            #name #id;
            #body
        }
    })
}

/// `json_schemas()`: every type's schema with the schema file and pointer it came from.
pub fn listing(module: &ir::Module) -> Result<TokenStream, EmitError> {
    let mut entries = Vec::new();
    for def in &module.types {
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        let name = ident(&def.name)?;
        let origin = &def.origin;
        entries.push(quote! { (#origin, generator.root_schema_for::<#name>()) });
    }
    Ok(quote! {
        /// Every type of this module as a JSON Schema again, with the schema file and JSON pointer it
        /// was generated from (cargo feature `schemars`).
        #[cfg(feature = "schemars")]
        pub fn json_schemas() -> Vec<(&'static str, ::schemars::Schema)> {
            let mut generator = ::schemars::SchemaGenerator::default();
            let _ = &mut generator;
            vec![ #(#entries),* ]
        }
    })
}

/// Properties by wire name (a nullable one as `Option`), `required` as the schema says.
fn struct_schema(module: &ir::Module, s: &ir::Struct) -> Result<TokenStream, EmitError> {
    let mut rows = Vec::new();
    let mut required = Vec::new();
    for f in &s.fields {
        let mut ty = type_tokens(&f.ty, &module.name)?;
        if f.nullable {
            ty = quote!(Option<#ty>);
        }
        let wire = &f.wire_name;
        rows.push(quote! { #wire #ty; });
        if matches!(
            f.presence(),
            Presence::Required | Presence::RequiredNullable
        ) {
            required.push(wire);
        }
    }
    let additional = matches!(s.unknown_fields, ir::UnknownFields::Keep(_));
    Ok(quote! {
        object #additional [#(#required),*];
        #(#rows)*
    })
}

/// The values the schema lists (the Rust enum also keeps values it does not list).
fn enum_schema(e: &ir::Enum) -> TokenStream {
    let kind = match e.repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
    };
    let values = e.variants.iter().map(|v| match &v.value {
        EnumValue::String(s) => quote!(#s),
        EnumValue::Integer(n) => quote!(#n),
    });
    quote! { enum #kind [#(#values),*] }
}
