//! The crate around the modules: `Cargo.toml` (one feature per module) and `lib.rs`.

use super::docs::inner_lines;
use super::ident;
use super::EmitError;
use crate::ir;
use proc_macro2::TokenStream;
use quote::quote;

/// What the generated crate is called and how it sits in a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSettings {
    /// Package name (`api-models`).
    pub name: String,
    /// Add an empty `[workspace]` table, so the crate builds on its own wherever it is written.
    pub standalone: bool,
}

impl Default for CrateSettings {
    fn default() -> Self {
        CrateSettings {
            name: "api-models".into(),
            standalone: false,
        }
    }
}

pub fn cargo_toml(krate: &ir::Crate, settings: &CrateSettings) -> String {
    let names: Vec<&str> = krate.modules.iter().map(|m| m.name.as_str()).collect();
    let defaults = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = String::new();
    out.push_str(crate::write::MANIFEST_MARKER);
    out.push_str(" from the schemas; do not edit.\n");
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{}\"\n", settings.name));
    out.push_str("version = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.82\"\n");
    out.push_str(
        "description = \"Typed models generated from JSON Schema and OpenAPI descriptions.\"\n",
    );
    out.push_str("license = \"MIT OR Apache-2.0\"\npublish = false\n\n");
    out.push_str("[features]\n");
    out.push_str(&format!("default = [{defaults}]\n"));
    for n in &names {
        out.push_str(&format!("{n} = []\n"));
    }
    if krate.has_operations() {
        out.push_str(
            "# An async client on reqwest (plain HTTP); `client-tls` adds reqwest's default TLS.\n",
        );
        out.push_str("client = [\"dep:reqwest\", \"dep:futures-util\"]\n");
        out.push_str("client-tls = [\"client\", \"reqwest/default-tls\"]\n");
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(
        "serde = { version = \"1.0.190\", default-features = false, features = [\"std\"] }\n",
    );
    out.push_str("serde_json = { version = \"1.0.108\", features = [\"raw_value\"] }\n");
    out.push_str(
        "schemars = { version = \"1\", optional = true, default-features = false, features = [\"std\"] }\n",
    );
    if krate.has_operations() {
        out.push_str("form_urlencoded = \"1.2\"\n");
        out.push_str("http = \"1.1\"\n");
        out.push_str("serde_path_to_error = \"0.1.16\"\n");
    }
    if krate.has_operations() || krate.has_checks() {
        out.push_str("regex-lite = \"0.1.6\"\n");
    }
    if krate.has_operations() {
        out.push_str(
            "reqwest = { version = \"0.13\", default-features = false, optional = true }\n",
        );
        out.push_str(
            "futures-util = { version = \"0.3.30\", default-features = false, optional = true }\n",
        );
    }
    if settings.standalone {
        out.push_str("\n[workspace]\n");
    }
    out
}

pub fn lib_rs(krate: &ir::Crate, settings: &CrateSettings) -> Result<TokenStream, EmitError> {
    let mut mods = Vec::new();
    for m in &krate.modules {
        let name = ident(&m.name)?;
        let feature = &m.name;
        let first_line = m
            .doc
            .as_deref()
            .and_then(|d| d.lines().next())
            .unwrap_or("Generated types.");
        let text = format!(
            "{} (cargo feature `{feature}`).",
            first_line.trim_end_matches('.')
        );
        let doc = super::docs::lines(&super::docs::sanitize(&text));
        mods.push(quote! {
            #doc
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #name;
        });
    }
    let listing: String = krate
        .modules
        .iter()
        .map(|m| {
            format!(
                "- [`{0}`]: feature `{0}`, {1} types\n",
                m.name,
                m.types.len()
            )
        })
        .collect();
    let doc = inner_lines(&format!(
        "`{}`: typed models generated from JSON Schema and OpenAPI descriptions by `cargo xtask codegen`.\n\n\
         Every file of this crate is generated; edit the schemas and regenerate instead.\n\n\
         Modules, one cargo feature each (all on by default):\n\n{listing}\n\
         Conventions: a required property is `T`; a nullable one `Option<T>`; an optional one `Option<T>`; \
         one both optional and nullable is a [`support::Nullable`]. Enums are open: a value the schema \
         does not list is kept in the fallback variant. Properties the schema does not list are kept in \
         [`support::UnknownFields`] and written back.",
        settings.name
    ));
    let validate = if krate.has_checks() {
        quote! { pub mod validate; }
    } else {
        TokenStream::new()
    };
    let requests = if krate.has_operations() {
        quote! {
            pub mod request;

            #[cfg(feature = "client")]
            pub mod client;
        }
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        #doc
        #![forbid(unsafe_code)]
        #![deny(missing_docs)]

        pub mod support;
        #validate
        #requests
        #(#mods)*
    })
}
