//! Hostile text in names, descriptions and enum values yields safe code that compiles cleanly.

use codegen::{Config, CrateSettings};
use std::path::Path;
use std::process::Command;

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
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-target");
    let build = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--offline", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let doc = Command::new(env!("CARGO"))
        .args([
            "doc",
            "--quiet",
            "--offline",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-target"),
        )
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        doc.status.success(),
        "{}",
        String::from_utf8_lossy(&doc.stderr)
    );
}
