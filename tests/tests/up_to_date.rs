//! `generated/` must be exactly what `cargo xtask codegen` makes of `schemas/` (in memory, like
//! rust-analyzer's codegen check: a stale checkout fails here with a diff).

use std::path::Path;

#[test]
fn generated_crate_matches_the_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let generated = codegen::Config::new(root.join("schemas"))
        .generate()
        .unwrap_or_else(|failure| panic!("the shipped schemas do not generate:\n{failure}"));
    assert!(
        generated.warnings.is_empty(),
        "the shipped schemas give warnings: {:#?}",
        generated.warnings
    );
    let diff = codegen::write::diff_against(&generated.files, &root.join("generated"));
    assert!(
        diff.is_empty(),
        "generated/ is stale; run `cargo xtask codegen`:\n{diff}"
    );
}

#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let config = codegen::Config::new(root.join("schemas"));
    let first = config.generate().expect("generates").files;
    let second = config.generate().expect("generates").files;
    assert_eq!(first, second);
}
