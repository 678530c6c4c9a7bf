//! Hostile text in names, descriptions and enum values yields safe code that compiles cleanly.

mod common;

use codegen::{Config, CrateSettings};
use std::path::Path;

#[test]
fn hostile_names_and_docs_generate_a_crate_that_builds_without_warnings() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/hostile.json");
    let mut config = Config::new(&input);
    config.crate_settings = CrateSettings {
        name: "hostile".into(),
        standalone: true,
    };
    let generated = config.generate().unwrap_or_else(|f| panic!("{f}"));
    let text: String = generated.files.0.values().cloned().collect();
    assert!(!text.contains("unsafe "), "no unsafe code");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-crate");
    codegen::write::write_atomically(&generated.files, &out).expect("written");
    let (built, printed) = common::cargo(
        &["build", "--features", "schemars"],
        &out,
        &[("RUSTFLAGS", "-D warnings")],
    );
    assert!(built, "{printed}");
    let (documented, printed) = common::cargo(
        &["doc", "--no-deps"],
        &out,
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert!(documented, "{printed}");
}
