//! Writes the benchmark's baseline: a plain `#[derive(Deserialize)]` twin of every generated type,
//! made from the same IR, that drops unknown properties instead of keeping them.

use codegen::ir::{self, Presence, TypeKind, TypeRef};
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    println!("cargo:rerun-if-changed={}", root.join("schemas").display());
    let generated = match codegen::Config::new(root.join("schemas")).generate() {
        Ok(g) => g,
        Err(failure) => {
            println!("cargo:warning=the schemas do not generate, so the benchmark has no twin: {failure}");
            return write_twin("");
        }
    };
    let mut out = String::new();
    for module in &generated.ir.modules {
        let _ = writeln!(
            out,
            "pub mod {} {{\n#![allow(dead_code)]\nuse serde::Deserialize;",
            module.name
        );
        for def in &module.types {
            twin_type(&mut out, module, def);
        }
        out.push_str("}\n");
    }
    write_twin(&out);
    write_wire_module(&root, "wire");
    write_wire_module(&root, "inbound");
}

/// Generates the module of `fixtures/wire/<name>.json` for the end-to-end tests (`wire`: every
/// request encoding, and JSON webhook events; `inbound`: a form-encoded callback); `lib.rs`
/// includes it next to the runtime modules it refers to.
fn write_wire_module(root: &Path, name: &str) {
    let spec = root.join(format!("tests/fixtures/wire/{name}.json"));
    println!("cargo:rerun-if-changed={}", spec.display());
    let mut config = codegen::Config::new(&spec);
    // The module is this crate's (`api_tests::wire`): its operations' usage examples name it so.
    config.crate_settings.name = "api-tests".into();
    let generated = config
        .generate()
        .unwrap_or_else(|failure| panic!("{} does not generate: {failure}", spec.display()));
    let text = &generated.files.0[&format!("src/{name}.rs")];
    // The module's inner docs cannot stand inside `include!`; its features are not this crate's,
    // so the lines that gate items on them go (the whole module is wanted). Its operations' usage
    // examples are not doc tests here: each would be a binary of its own linked against this
    // crate's test servers, most of a minute for a fresh clone (the shipped crate's are).
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("//!") && !gates_on_module_features(l, name))
        .map(|l| {
            let l = l.replace("/// ```rust", "/// ```rust,ignore");
            format!("{l}\n")
        })
        .collect();
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts");
    std::fs::write(Path::new(&out_dir).join(format!("{name}.rs")), body)
        .unwrap_or_else(|e| panic!("write {name}.rs: {e}"));
}

/// Whether `line` is a `#[cfg(…)]` on the module's own features (`<name>`, `<name>-<group>`) alone.
fn gates_on_module_features(line: &str, name: &str) -> bool {
    let Some(predicate) = line.trim_start().strip_prefix("#[cfg(") else {
        return false;
    };
    let features: Vec<&str> = predicate.split("feature = \"").skip(1).collect();
    !features.is_empty()
        && features.iter().all(|f| {
            let feature = f.split('"').next().unwrap_or_default();
            feature == name || feature.starts_with(&format!("{name}-"))
        })
}

fn write_twin(text: &str) {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts");
    std::fs::write(Path::new(&out_dir).join("twin.rs"), text).expect("write twin.rs");
}

fn twin_type(out: &mut String, module: &ir::Module, def: &ir::TypeDef) {
    let name = &def.name;
    match &def.kind {
        TypeKind::Struct(s) => {
            let _ = writeln!(out, "#[derive(Deserialize)]\npub struct {name} {{");
            for f in &s.fields {
                let mut ty = type_name(&f.ty, module);
                if f.boxed {
                    ty = format!("Box<{ty}>");
                }
                let ty = match f.presence() {
                    Presence::Required => ty,
                    _ => format!("Option<{ty}>"),
                };
                let _ = writeln!(
                    out,
                    "#[serde(rename = {:?})] pub {}: {ty},",
                    f.wire_name, f.name
                );
            }
            out.push_str("}\n");
        }
        // Enums are leaves: the twin uses the generated (open) enums themselves.
        TypeKind::Enum(_) => {
            let _ = writeln!(
                out,
                "pub type {name} = api_models::{}::{name};",
                module.name
            );
        }
        TypeKind::Union(u) => {
            let _ = writeln!(
                out,
                "#[derive(Deserialize)]\n#[serde(untagged)]\npub enum {name} {{"
            );
            for v in &u.variants {
                let ty = type_name(&v.ty, module);
                let ty = if v.boxed { format!("Box<{ty}>") } else { ty };
                let _ = writeln!(out, "{}({ty}),", v.name);
            }
            if let Some(fallback) = &u.fallback {
                let _ = writeln!(out, "{fallback}(serde_json::Value),");
            }
            out.push_str("}\n");
        }
        // Checked types exist only in validating mode; the twin reads the plain value.
        TypeKind::Checked(c) => {
            let _ = writeln!(out, "pub type {name} = {};", type_name(&c.inner, module));
        }
        TypeKind::Alias(ty) => {
            let _ = writeln!(out, "pub type {name} = {};", type_name(ty, module));
        }
    }
}

fn type_name(ty: &TypeRef, module: &ir::Module) -> String {
    match ty {
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer(32) => "i32".into(),
        TypeRef::Integer(_) => "i64".into(),
        TypeRef::Number => "serde_json::Number".into(),
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "api_models::support::DateTime".into(),
        TypeRef::UnixTime => "api_models::support::UnixTime".into(),
        TypeRef::Part => "api_models::request::Part".into(),
        TypeRef::Null => "()".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_name(inner, module)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_name(inner, module)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_name(inner, module)
        ),
        TypeRef::Named { module: m, name } if *m == module.name => name.clone(),
        TypeRef::Named { module: m, name } => format!("super::{m}::{name}"),
    }
}
