//! `Serialize` and `Deserialize` impls, written out instead of derived: structs keep unknown properties
//! without `#[serde(flatten)]`, enums keep unlisted values (and get `FromStr` and `Display` from
//! the same row of `support::open_enum!`), unions dispatch on their tag.

use super::features::{cfg_text, Gate};
use super::{ident, string_literal, type_tokens};
use super::{Chunk, EmitError, Table};
use crate::ir::{self, EnumRepr, Presence, TypeKind};
use crate::tokens::text;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The serde impls of one IR type.
pub fn impls(
    module: &ir::Module,
    def: &ir::TypeDef,
    fields: &[Option<&Gate>],
) -> Result<Chunk, EmitError> {
    let name = ident(&def.name)?;
    Ok(match &def.kind {
        TypeKind::Struct(s) => struct_impls(module, &name, s, fields)?,
        TypeKind::Enum(e) => enum_impls(&name, e)?,
        TypeKind::Union(u) => Chunk::Tokens(union_impls(module, &name, u)?),
        TypeKind::Alias(_) => Chunk::Tokens(TokenStream::new()),
        TypeKind::Checked(c) => Chunk::Tokens(checked_impls(module, &name, c)?),
    })
}

fn struct_impls(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    s: &ir::Struct,
    gates: &[Option<&Gate>],
) -> Result<Chunk, EmitError> {
    // The impls are written by `support::object!` from this table (see there).
    let keep = match &s.unknown_fields {
        ir::UnknownFields::Keep(extra) => Some(ident(extra)?.to_string()),
        ir::UnknownFields::Deny => None,
    };
    let mut rows = Vec::with_capacity(s.fields.len());
    let mut kept = keep.clone().into_iter().collect::<Vec<_>>();
    for (index, (f, &gate)) in s.fields.iter().zip(gates).enumerate() {
        let field = ident(&f.name)?;
        let wire = string_literal(&f.wire_name);
        let cfg = cfg_text(gate);
        let lenient = s.lenient_nulls && f.presence() == Presence::Optional;
        let value = text(super::types::value_type(module, f)?);
        // What the reader holds until the end (`read_once` reads a lenient property of a struct
        // without a store as an `Option`, so that a `null` counts as its one occurrence).
        let slot = if lenient && keep.is_none() {
            format!("Option<{value}>")
        } else {
            value
        };
        let (kind, keeper) = match f.presence() {
            Presence::Required | Presence::RequiredNullable => ("required", ""),
            Presence::Optional if lenient => {
                if keep.is_some() {
                    kept.push(format!("{cfg}{wire}"));
                }
                ("lenient", keep.as_deref().unwrap_or_default())
            }
            Presence::Optional => ("optional", ""),
            Presence::OptionalNullable => ("nullable", ""),
        };
        rows.push(format!(
            "{cfg}{index} {field} {wire} {kind} [{keeper}] {slot}"
        ));
    }
    let mut table = Table::new("crate::support::object");
    let expecting = string_literal(&format!("an object ({name})"));
    table.row(&format!("{name} {expecting} [{}]", kept.join(" ")));
    for row in &rows {
        table.row(row);
    }
    Ok(table.finish(None))
}

/// `FromStr`, `Display` and the serde impls, written by `support::open_enum!` from one row.
fn enum_impls(name: &proc_macro2::Ident, e: &ir::Enum) -> Result<Chunk, EmitError> {
    let fallback = ident(&e.fallback)?;
    let repr = match e.repr {
        EnumRepr::String => "str",
        EnumRepr::Integer => "i64",
    };
    let row = format!("{name} {repr} {fallback}");
    Ok(Table::new("crate::support::open_enum").finish(Some(&row)))
}

fn union_impls(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    u: &ir::Union,
) -> Result<TokenStream, EmitError> {
    let mut ser_arms = Vec::new();
    let mut tagged_arms = Vec::new();
    let mut untagged_steps = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name)?;
        let ty = type_tokens(&v.ty, &module.name)?;
        let construct = if v.boxed {
            quote!(#name::#vname(Box::new(v)))
        } else {
            quote!(#name::#vname(v))
        };
        let wrap = if v.boxed {
            quote!(|v| #construct)
        } else {
            quote!(#name::#vname)
        };
        ser_arms.push(quote! { Self::#vname(v) => ::serde::Serialize::serialize(v, serializer), });
        match &v.tag_value {
            Some(value) => {
                tagged_arms.push(quote! { Some(#value) => map.deserialize::<#ty>().map(#wrap), })
            }
            None if u.exclusive => untagged_steps.push(quote! {
                if let Some(v) = crate::support::try_from_raw::<#ty>(&raw) {
                    matches += 1;
                    found = Some(#construct);
                }
            }),
            None => untagged_steps.push(quote! {
                if let Some(v) = crate::support::try_from_raw::<#ty>(&raw) {
                    return Ok(#construct);
                }
            }),
        }
    }
    let deserialize_body = match (&u.tag, &u.fallback) {
        (Some(tag), Some(fallback)) => {
            let fallback = ident(fallback)?;
            ser_arms.push(
                quote! { Self::#fallback(v) => ::serde::Serialize::serialize(v, serializer), },
            );
            let expecting = format!("an object ({name})");
            quote! {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, map: __A) -> Result<#name, __A::Error> {
                        let (tag, map) = crate::support::TaggedMap::read(map, #tag)?;
                        match tag.as_deref() {
                            #(#tagged_arms)*
                            _ => map.deserialize::<::serde_json::Value>().map(#name::#fallback),
                        }
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
        _ if u.exclusive => {
            let none = format!("the value matches no variant of {name}");
            let many = format!("the value matches more than one variant of {name} (`oneOf`)");
            quote! {
                let raw = crate::support::buffer(deserializer)?;
                let mut matches = 0usize;
                let mut found = None;
                #(#untagged_steps)*
                match (matches, found) {
                    (1, Some(value)) => Ok(value),
                    (0, _) | (_, None) => Err(<__D::Error as ::serde::de::Error>::custom(#none)),
                    _ => Err(<__D::Error as ::serde::de::Error>::custom(#many)),
                }
            }
        }
        _ => {
            let message = format!("the value matches no variant of {name}");
            quote! {
                let raw = crate::support::buffer(deserializer)?;
                #(#untagged_steps)*
                Err(<__D::Error as ::serde::de::Error>::custom(#message))
            }
        }
    };
    Ok(quote! {
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                match self { #(#ser_arms)* }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                #deserialize_body
            }
        }
    })
}

/// A checked newtype reads its inner value, then checks it (validating mode).
fn checked_impls(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    c: &ir::Checked,
) -> Result<TokenStream, EmitError> {
    let inner = type_tokens(&c.inner, &module.name)?;
    let mut checks = Vec::new();
    if let Some(text) = &c.assertions {
        checks.push(quote! {
            static SCHEMA: ::std::sync::OnceLock<::serde_json::Value> = ::std::sync::OnceLock::new();
            crate::validate::check::<__D::Error>(&value, SCHEMA.get_or_init(|| crate::validate::schema(#text)))?;
        });
    }
    for (ty, when) in &c.also {
        let ty = type_tokens(ty, &module.name)?;
        let when = match when {
            ir::When::Always => quote!(Always),
            ir::When::IfObject => quote!(IfObject),
            ir::When::IfArray => quote!(IfArray),
            ir::When::Item(i) => {
                let i = Literal::usize_unsuffixed(*i);
                quote!(Item(#i))
            }
            ir::When::ItemsFrom(n) => {
                let n = Literal::usize_unsuffixed(*n);
                quote!(ItemsFrom(#n))
            }
        };
        checks.push(quote! { crate::validate::also::<#ty, __D::Error>(&value, crate::validate::When::#when)?; });
    }
    for (rule, ty) in &c.members {
        let ty = type_tokens(ty, &module.name)?;
        checks.push(match rule {
            ir::MemberRule::Pattern(pattern) => quote! {
                crate::validate::members_matching::<#ty, __D::Error>(&value, #pattern)?;
            },
            ir::MemberRule::Additional { known, patterns } => quote! {
                crate::validate::additional_members::<#ty, __D::Error>(&value, &[#(#known),*], &[#(#patterns),*])?;
            },
        });
    }
    for ty in &c.not {
        let ty = type_tokens(ty, &module.name)?;
        checks.push(quote! { crate::validate::not::<#ty, __D::Error>(&value)?; });
    }
    Ok(quote! {
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                ::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let inner = <#inner as ::serde::Deserialize>::deserialize(deserializer)?;
                let value = crate::validate::to_json::<_, __D::Error>(&inner)?;
                #(#checks)*
                Ok(#name(inner))
            }
        }
    })
}
