//! `Serialize` and `Deserialize` impls, written out instead of derived: structs keep unknown properties
//! without `#[serde(flatten)]`, enums keep unlisted values, unions dispatch on their tag.

use super::types::value_type;
use super::EmitError;
use super::{ident, type_tokens};
use crate::ir::{self, EnumRepr, Presence, TypeKind};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The serde impls of one IR type.
pub fn impls(module: &ir::Module, def: &ir::TypeDef) -> Result<TokenStream, EmitError> {
    let name = ident(&def.name)?;
    match &def.kind {
        TypeKind::Struct(s) => struct_impls(module, &name, s),
        TypeKind::Enum(e) => enum_impls(&name, e),
        TypeKind::Union(u) => union_impls(module, &name, u),
        TypeKind::Alias(_) => Ok(TokenStream::new()),
        TypeKind::Checked(c) => checked_impls(module, &name, c),
    }
}

fn struct_impls(
    module: &ir::Module,
    name: &proc_macro2::Ident,
    s: &ir::Struct,
) -> Result<TokenStream, EmitError> {
    let expecting = format!("an object ({name})");
    let wire: Vec<Literal> = s
        .fields
        .iter()
        .map(|f| Literal::string(&f.wire_name))
        .collect();
    let extra_name = match &s.unknown_fields {
        ir::UnknownFields::Keep(extra) => Some(ident(extra)?),
        ir::UnknownFields::Deny => None,
    };
    let mut lenient_wires = Vec::new();
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    let mut writes = Vec::new();
    for (i, f) in s.fields.iter().enumerate() {
        let fname = ident(&f.name)?;
        let slot = quote::format_ident!("__f{}", i);
        let ty = value_type(module, f)?;
        let wire_name = &wire[i];
        let index = Literal::usize_unsuffixed(i);
        slots.push(quote! { let mut #slot: Option<#ty> = None; });
        let lenient = s.lenient_nulls && f.presence() == Presence::Optional;
        arms.push(if lenient {
            let nulls = match &extra_name {
                Some(_) => quote!(Some(&mut __extra)),
                None => quote!(None),
            };
            quote! {
                crate::support::Key::Known(#index) => crate::support::read_lenient(&mut map, &mut #slot, #nulls, #wire_name)?,
            }
        } else {
            quote! {
                crate::support::Key::Known(#index) => crate::support::read_once(&mut map, &mut #slot, #wire_name)?,
            }
        });
        let init = match f.presence() {
            Presence::Required | Presence::RequiredNullable => quote! {
                #slot.ok_or_else(|| <__A::Error as ::serde::de::Error>::missing_field(#wire_name))?
            },
            Presence::Optional => quote!(#slot),
            Presence::OptionalNullable => quote!(#slot.unwrap_or_default()),
        };
        inits.push(quote! { #fname: #init, });
        writes.push(match f.presence() {
            Presence::Required | Presence::RequiredNullable => quote! {
                map.serialize_entry(#wire_name, &self.#fname)?;
            },
            Presence::Optional => match &extra_name {
                Some(extra) if lenient => {
                    lenient_wires.push(wire_name.clone());
                    quote! {
                        if let Some(value) = &self.#fname {
                            map.serialize_entry(#wire_name, value)?;
                        } else if self.#extra.has_null(#wire_name) {
                            map.serialize_entry(#wire_name, &())?;
                        }
                    }
                }
                _ => quote! {
                    if let Some(value) = &self.#fname {
                        map.serialize_entry(#wire_name, value)?;
                    }
                },
            },
            Presence::OptionalNullable => quote! {
                if !self.#fname.is_absent() {
                    map.serialize_entry(#wire_name, &self.#fname)?;
                }
            },
        });
    }
    let (extra_slot, unknown_arm, extra_init, extra_write) = match &s.unknown_fields {
        ir::UnknownFields::Keep(extra) => {
            let extra = ident(extra)?;
            (
                quote! { let mut __extra = crate::support::UnknownFields::new(); },
                quote! { crate::support::Key::Unknown(name) => __extra.read(name, &mut map)?, },
                quote! { #extra: __extra.finish::<__A::Error>()?, },
                if lenient_wires.is_empty() {
                    quote! { self.#extra.write(&mut map)?; }
                } else {
                    quote! {
                        self.#extra.write_unlisted(&mut map, |name| matches!(name, #(#lenient_wires)|*))?;
                    }
                },
            )
        }
        ir::UnknownFields::Deny => (
            TokenStream::new(),
            quote! {
                crate::support::Key::Unknown(name) => {
                    return Err(<__A::Error as ::serde::de::Error>::unknown_field(&name, FIELDS));
                }
            },
            TokenStream::new(),
            TokenStream::new(),
        ),
    };
    // An empty struct that keeps no unknown properties writes nothing into its map.
    let map_binding = if writes.is_empty() && extra_write.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    let indexes = (0..s.fields.len()).map(Literal::usize_unsuffixed);
    let field_fn = if s.fields.is_empty() {
        quote! { fn __field(_: &str) -> Option<usize> { None } }
    } else {
        quote! {
            fn __field(name: &str) -> Option<usize> {
                match name {
                    #( #wire => Some(#indexes), )*
                    _ => None,
                }
            }
        }
    };
    // The listed names are needed only to report an unknown property.
    let fields_const = match &s.unknown_fields {
        ir::UnknownFields::Deny => quote! { const FIELDS: &[&str] = &[ #(#wire),* ]; },
        ir::UnknownFields::Keep(_) => TokenStream::new(),
    };
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                #fields_const
                #field_fn
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        #(#slots)*
                        #extra_slot
                        while let Some(key) = map.next_key_seed(crate::support::KeySeed(__field))? {
                            match key {
                                #(#arms)*
                                #unknown_arm
                                crate::support::Key::Known(_) => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(#name { #(#inits)* #extra_init })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use ::serde::ser::SerializeMap as _;
                let #map_binding = serializer.serialize_map(None)?;
                #(#writes)*
                #extra_write
                map.end()
            }
        }
    })
}

fn enum_impls(name: &proc_macro2::Ident, e: &ir::Enum) -> Result<TokenStream, EmitError> {
    let fallback = ident(&e.fallback)?;
    Ok(match e.repr {
        EnumRepr::String => quote! {
            impl ::serde::Serialize for #name {
                fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    crate::support::deserialize_open_str(deserializer, Self::from_listed, Self::#fallback)
                }
            }
        },
        EnumRepr::Integer => quote! {
            impl ::serde::Serialize for #name {
                fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                    serializer.serialize_i64(self.as_i64())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    crate::support::deserialize_open_int(deserializer, Self::from_listed, Self::#fallback)
                }
            }
        },
    })
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
