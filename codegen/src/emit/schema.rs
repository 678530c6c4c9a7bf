//! `schemars::JsonSchema` impls (cargo feature `schemars` of the generated crate): each type describes
//! itself as a JSON Schema again, so a test can hold it against the schema it came from.

use super::features::{cfg_text, Gate};
use super::{ident, string_literal, type_tokens, Chunk, EmitError, Table};
use crate::ir::{self, EnumRepr, EnumValue, Presence, TypeKind};
use crate::tokens::text;
use proc_macro2::TokenStream;
use quote::quote;

/// The `JsonSchema` impl of one IR type (none for aliases, which name other types), as a table
/// for `support::schema!`.
pub fn impls(
    module: &ir::Module,
    def: &ir::TypeDef,
    fields: &[Option<&Gate>],
) -> Result<Chunk, EmitError> {
    let name = ident(&def.name)?;
    let rust = |ty: &ir::TypeRef| Ok::<_, EmitError>(text(type_tokens(ty, &module.name)?));
    let mut table = Table::new("crate::support::schema");
    let id = string_literal(&format!("{}::{}", module.name, def.name));
    table.row(&format!("{name} {id}"));
    let last = match &def.kind {
        TypeKind::Struct(s) => {
            struct_schema(&mut table, s, fields, rust)?;
            None
        }
        TypeKind::Enum(e) => Some(enum_schema(e)),
        TypeKind::Union(u) => {
            table.row("union");
            for v in &u.variants {
                table.row(&rust(&v.ty)?);
            }
            None
        }
        TypeKind::Checked(c) => {
            let inner = type_tokens(&c.inner, &module.name)?;
            Some(text(quote! { checked #inner }))
        }
        TypeKind::Alias(_) => return Ok(Chunk::Tokens(TokenStream::new())),
    };
    Ok(table.finish(last.as_deref()))
}

/// `json_schemas()`: every type's schema with the schema file and pointer it came from, each
/// entry there when its type's features are on. Text: an entry's `cfg` stays on one line.
pub fn listing(
    module: &ir::Module,
    layout: &super::features::ModuleLayout,
) -> Result<Chunk, EmitError> {
    let mut text = String::from(
        "/// Every type of this module as a JSON Schema again, with the schema file and JSON pointer it\n\
         /// was generated from (cargo feature `schemars`).\n\
         #[cfg(feature = \"schemars\")]\n\
         #[allow(clippy::vec_init_then_push)]\n\
         pub fn json_schemas() -> Vec<(&'static str, ::schemars::Schema)> {\n    \
         let mut generator = ::schemars::SchemaGenerator::default();\n    \
         let _ = &mut generator;\n    \
         let mut schemas = Vec::new();\n",
    );
    for (def, gate) in module.types.iter().zip(&layout.types) {
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        let name = ident(&def.name)?;
        text.push_str("    ");
        text.push_str(&gate.attribute_line());
        text.push_str(&format!(
            "    schemas.push(({}, generator.root_schema_for::<{name}>()));\n",
            string_literal(&def.origin)
        ));
    }
    text.push_str("    schemas\n}\n");
    Ok(Chunk::Text(text))
}

/// Properties by wire name (a nullable one as `Option`), `required` as the schema says.
fn struct_schema(
    table: &mut Table,
    s: &ir::Struct,
    gates: &[Option<&Gate>],
    rust: impl Fn(&ir::TypeRef) -> Result<String, EmitError>,
) -> Result<(), EmitError> {
    let mut rows = Vec::with_capacity(s.fields.len());
    let mut required = Vec::new();
    for (f, &gate) in s.fields.iter().zip(gates) {
        let ty = rust(&f.ty)?;
        let wire = string_literal(&f.wire_name);
        let cfg = cfg_text(gate);
        rows.push(if f.nullable {
            format!("{cfg}{wire} Option<{ty}>")
        } else {
            format!("{cfg}{wire} {ty}")
        });
        if matches!(
            f.presence(),
            Presence::Required | Presence::RequiredNullable
        ) {
            required.push(wire);
        }
    }
    let additional = matches!(s.unknown_fields, ir::UnknownFields::Keep(_));
    table.row(&format!("object {additional} [{}]", required.join(", ")));
    for row in &rows {
        table.row(row);
    }
    Ok(())
}

/// The values the schema lists (the Rust enum also keeps values it does not list).
fn enum_schema(e: &ir::Enum) -> String {
    let kind = match e.repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
    };
    let values: Vec<String> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::String(s) => string_literal(s),
            // As the tokens of an `i64` write it.
            EnumValue::Integer(n) => format!("{n}i64"),
        })
        .collect();
    format!("enum \"{kind}\" [{}]", values.join(", "))
}
