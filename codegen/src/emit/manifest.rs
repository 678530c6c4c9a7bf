//! The crate around the modules: `Cargo.toml` (a feature per module and per group of its
//! operations, see [`super::features`]) and `lib.rs`.

use super::docs::inner_lines;
use super::features::Layout;
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

/// The runtime crate's package name: the generated crate's, with `-runtime`.
impl CrateSettings {
    /// Why the package name cannot be a crate's (cargo's rules, and the name a Rust path uses,
    /// `-` read as `_`, must be an identifier); `None` when it can.
    pub fn name_problem(&self) -> Option<String> {
        let name = &self.name;
        if name.is_empty() {
            return Some("the package name is empty".into());
        }
        if let Some(c) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Some(format!(
                "`{name}` is not a valid package name: `{c}` is not allowed (a package name holds \
                 only ASCII letters, digits, `-` and `_`)"
            ));
        }
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(format!(
                "`{name}` is not a valid package name: it starts with a digit"
            ));
        }
        let in_paths = name.replace('-', "_");
        if !crate::names::is_valid_ident(&in_paths) {
            return Some(format!(
                "`{name}` is not a valid package name: Rust code would name it `{in_paths}`, a \
                 keyword or no identifier"
            ));
        }
        None
    }
}

fn runtime_package(settings: &CrateSettings) -> String {
    format!("{}-runtime", settings.name)
}

/// The runtime crate's name in Rust paths (`api_models_runtime`).
fn runtime_crate(settings: &CrateSettings) -> String {
    runtime_package(settings).replace('-', "_")
}

/// The generated crate's `Cargo.toml`: one feature per module, which turns on one feature per
/// group of its operations (see [`super::features`]); the runtime crate beside it.
pub fn cargo_toml(krate: &ir::Crate, layout: &Layout, settings: &CrateSettings) -> String {
    let defaults = quoted_list(layout.modules.iter().map(|m| m.feature.as_str()));
    let runtime = runtime_package(settings);
    let mut out = package_table(
        &settings.name,
        "Typed models generated from JSON Schema and OpenAPI descriptions.",
    );
    out.push_str("[features]\n");
    out.push_str(&format!("default = [{defaults}]\n"));
    for (module, m) in krate.modules.iter().zip(&layout.modules) {
        let own = m.operations.iter().filter(|f| **f == m.feature).count();
        let own = if own == 0 {
            String::new()
        } else {
            format!(", the {} of no group", counted(own, "operation"))
        };
        out.push_str(&format!(
            "# `{}`: every group below{own}, and the types no operation or event reaches.\n",
            m.feature
        ));
        let groups = quoted_list(m.groups.keys().map(String::as_str));
        out.push_str(&format!("{} = [{groups}]\n", m.feature));
        let turns_on = match &m.any_group {
            Some(any_group) => {
                out.push_str(&format!(
                    "# Internal: on when any group of `{}` is; the types they all reach need it.\n\
                     {any_group} = []\n",
                    m.feature
                ));
                quoted_list(std::iter::once(any_group.as_str()))
            }
            None => String::new(),
        };
        for (group, ops) in &m.groups {
            let mut what = Vec::new();
            if !ops.is_empty() {
                what.push(counted(ops.len(), "operation"));
            }
            if m.webhooks.as_ref() == Some(group) {
                what.push(counted(module.webhooks.len(), "event"));
            }
            out.push_str(&format!(
                "# {}.\n{group} = [{turns_on}]\n",
                what.join(" and ")
            ));
        }
    }
    out.push_str("# `schemars::JsonSchema` for every type.\n");
    out.push_str(&format!(
        "schemars = [\"dep:schemars\", \"{runtime}/schemars\"]\n"
    ));
    if krate.has_http() {
        out.push_str(
            "# An async client on reqwest (plain HTTP); `client-tls` adds reqwest's default TLS.\n",
        );
        out.push_str(&format!("client = [\"{runtime}/client\"]\n"));
        out.push_str(&format!(
            "client-tls = [\"client\", \"{runtime}/client-tls\"]\n"
        ));
        out.push_str("# Verifying webhook signatures (`webhook::Verifier`).\n");
        out.push_str(&format!("webhooks = [\"{runtime}/webhooks\"]\n"));
        out.push_str("# An axum extractor of verified webhook requests (`webhook::extract`).\n");
        out.push_str(&format!("axum = [\"webhooks\", \"{runtime}/axum\"]\n"));
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(&format!(
        "# Built once: regenerating the models leaves it as it is.\n{runtime} = {{ path = \"runtime\" }}\n"
    ));
    out.push_str(SERDE_DEPENDENCIES);
    if settings.standalone {
        out.push_str("\n[workspace]\n");
    }
    out
}

/// `1 operation`, `2 operations`.
fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// `"a", "b"`.
fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The runtime crate's `Cargo.toml`: the dependencies of the modules it has.
pub fn runtime_cargo_toml(krate: &ir::Crate, settings: &CrateSettings) -> String {
    let mut out = package_table(
        &runtime_package(settings),
        &format!(
            "What the code generated into `{}` builds on: serde support, requests, checks.",
            settings.name
        ),
    );
    out.push_str("[features]\n");
    out.push_str("schemars = [\"dep:schemars\"]\n");
    if krate.has_http() {
        out.push_str("client = [\"dep:reqwest\", \"dep:futures-util\", \"dep:tokio\"]\n");
        out.push_str("client-tls = [\"client\", \"reqwest/default-tls\"]\n");
        out.push_str(
            "webhooks = [\"dep:hmac\", \"dep:sha1\", \"dep:sha2\", \"dep:ed25519-dalek\", \"dep:base64\"]\n",
        );
        out.push_str("axum = [\"webhooks\", \"dep:axum-core\", \"dep:http-body-util\"]\n");
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(SERDE_DEPENDENCIES);
    if krate.has_http() {
        out.push_str("form_urlencoded = \"1.2\"\n");
        out.push_str("http = \"1.1\"\n");
        out.push_str("httpdate = \"1.0.3\"\n");
        out.push_str("serde_path_to_error = \"0.1.16\"\n");
    }
    if krate.has_http() || krate.has_checks() {
        out.push_str("regex-lite = \"0.1.6\"\n");
    }
    if krate.has_http() {
        out.push_str(
            "reqwest = { version = \"0.13\", default-features = false, optional = true }\n",
        );
        out.push_str(
            "futures-util = { version = \"0.3.30\", default-features = false, optional = true }\n",
        );
        out.push_str(
            "tokio = { version = \"1.38\", default-features = false, features = [\"sync\", \"time\"], optional = true }\n",
        );
        out.push_str(WEBHOOK_DEPENDENCIES);
    }
    out
}

/// What the `webhooks` feature verifies signatures with: RustCrypto's HMACs and hashes, and
/// `ed25519-dalek`.
const WEBHOOK_DEPENDENCIES: &str = "hmac = { version = \"0.12.1\", optional = true }\n\
sha1 = { version = \"0.10.6\", optional = true }\n\
sha2 = { version = \"0.10.8\", optional = true }\n\
ed25519-dalek = { version = \"2.1\", optional = true }\n\
base64 = { version = \"0.22\", optional = true }\n\
axum-core = { version = \"0.5\", default-features = false, optional = true }\n\
http-body-util = { version = \"0.1\", optional = true }\n";

/// What both crates use: the generated code names serde, serde_json and schemars itself (the
/// runtime's macros expand to impls of their traits).
const SERDE_DEPENDENCIES: &str =
    "serde = { version = \"1.0.190\", default-features = false, features = [\"std\"] }\n\
serde_json = { version = \"1.0.108\", features = [\"raw_value\"] }\n\
schemars = { version = \"1\", optional = true, default-features = false, features = [\"std\"] }\n";

/// The marker line and the `[package]` table, up to the blank line after it.
fn package_table(name: &str, description: &str) -> String {
    let mut out = String::new();
    out.push_str(crate::write::MANIFEST_MARKER);
    out.push_str(" from the schemas; do not edit.\n");
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{name}\"\n"));
    out.push_str("version = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.82\"\n");
    out.push_str(&format!("description = \"{description}\"\n"));
    out.push_str("license = \"MIT OR Apache-2.0\"\npublish = false\n\n");
    out
}

/// The runtime crate's `lib.rs`: the runtime modules the generated code uses.
pub fn runtime_lib_rs(krate: &ir::Crate, settings: &CrateSettings) -> String {
    let mut out = String::from(crate::write::GENERATED_MARKER);
    out.push_str(&format!(
        "\n//! The runtime of `{}`: the support types, the serde machinery of its structs and, as\n\
         //! its modules need them, requests and checks. A crate of its own, so it is compiled once\n\
         //! and not again each time the models are regenerated.\n",
        settings.name
    ));
    out.push_str("#![forbid(unsafe_code)]\n#![deny(missing_docs)]\n\npub mod support;\n");
    if krate.has_checks() {
        out.push_str("\npub mod validate;\n");
    }
    if krate.has_http() {
        out.push_str(
            "\npub mod request;\n\nmod encode;\n\npub mod answer;\n\npub mod event;\n\npub mod retry;\n\npub mod oauth;\n\n#[cfg(feature = \"client\")]\npub mod client;\n\n#[cfg(feature = \"webhooks\")]\npub mod webhook;\n",
        );
    }
    out
}

pub fn lib_rs(
    krate: &ir::Crate,
    layout: &Layout,
    settings: &CrateSettings,
) -> Result<TokenStream, EmitError> {
    let mut mods = Vec::new();
    for (m, features) in krate.modules.iter().zip(&layout.modules) {
        let name = ident(&m.name)?;
        let feature = &m.name;
        let gate = features.module.predicate();
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
            #[cfg(#gate)]
            #[rustfmt::skip]
            pub mod #name;
        });
    }
    let listing: String = krate
        .modules
        .iter()
        .zip(&layout.modules)
        .map(|(m, features)| {
            let groups: Vec<String> = features
                .groups
                .iter()
                .map(|(group, ops)| format!("`{group}` ({})", ops.len()))
                .collect();
            let groups = if groups.is_empty() {
                String::new()
            } else {
                format!("; its groups (operations): {}", groups.join(", "))
            };
            format!(
                "- [`{0}`]: feature `{0}`, {1} types{groups}\n",
                m.name,
                m.types.len()
            )
        })
        .collect();
    let doc = inner_lines(&format!(
        "`{}`: typed models generated from JSON Schema and OpenAPI descriptions by `cargo xtask codegen`.\n\n\
         Every file of this crate is generated; edit the schemas and regenerate instead.\n\n\
         Modules, one cargo feature each (all on by default), which turns on a feature per group \
         of its operations (by tag, else by the resource of the path) and per its events \
         (`<module>-webhooks`). With `default-features = false` and one group's feature, only \
         that group's operations and the types they reach compile:\n\n{listing}\n\
         Conventions: a required property is `T`; a nullable one `Option<T>`; an optional one `Option<T>`; \
         one both optional and nullable is a [`support::Nullable`]. Enums are open: a value the schema \
         does not list is kept in the fallback variant. Properties the schema does not list are kept in \
         [`support::UnknownFields`] and written back.",
        settings.name
    ));
    let runtime = ident(&runtime_crate(settings))?;
    let validate = if krate.has_checks() {
        quote! { pub use #runtime::validate; }
    } else {
        TokenStream::new()
    };
    let requests = if krate.has_http() {
        quote! {
            pub use #runtime::request;
            pub use #runtime::answer;
            pub use #runtime::event;
            pub use #runtime::retry;
            pub use #runtime::oauth;

            #[cfg(feature = "client")]
            pub use #runtime::client;

            #[cfg(feature = "webhooks")]
            pub use #runtime::webhook;
        }
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        #doc
        #![forbid(unsafe_code)]
        #![deny(missing_docs)]

        pub use #runtime::support;
        #validate
        #requests
        #(#mods)*
    })
}
