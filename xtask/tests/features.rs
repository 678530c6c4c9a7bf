//! The shipped crate with only some of its features: each group of operations alone, and one
//! module without the others, builds clippy-clean with warnings as errors.

use std::path::{Path, PathBuf};
use std::process::Command;

fn generated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated")
        .canonicalize()
        .expect("generated/")
}

/// The group features `generated/Cargo.toml` declares: each under the comment that counts its
/// operations and events (`# 2 operations.`, `# 1 operation and 3 events.`).
fn group_features(manifest: &str) -> Vec<String> {
    let lines: Vec<&str> = manifest.lines().collect();
    lines
        .windows(2)
        .filter(|pair| {
            let what = pair[0].strip_prefix("# ").and_then(|c| c.split(' ').nth(1));
            what.is_some_and(|w| w.starts_with("operation") || w.starts_with("event"))
        })
        .filter_map(|pair| pair[1].split_once(" = ["))
        .map(|(name, _)| name.to_owned())
        .collect()
}

fn clippy(features: &str) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--offline", "--no-default-features"])
        .args(["--features", features])
        .arg("--manifest-path")
        .arg(generated().join("Cargo.toml"))
        // The flags and target folder of `cli.rs`'s checks: the dependencies are built once.
        .env("RUSTFLAGS", "-D warnings")
        .env(
            "CARGO_TARGET_DIR",
            workspace.join("target/standalone-check"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "--no-default-features --features {features}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn each_group_alone_and_one_module_alone_build_clippy_clean() {
    let manifest = std::fs::read_to_string(generated().join("Cargo.toml")).expect("Cargo.toml");
    let groups = group_features(&manifest);
    // The shipped schemas' groups: by tag (Sakari's), by resource (the others'), and events.
    assert_eq!(
        groups,
        [
            "chatwoot-conversations",
            "chatwoot-messages",
            "discord-messages",
            "sakari-authentication",
            "sakari-calls",
            "sakari-conversations",
            "sakari-messages",
            "sakari-webhooks",
            "textus-conversations",
        ]
    );
    assert!(manifest.contains("\nsakari = [\"sakari-authentication\", \"sakari-calls\", \"sakari-conversations\", \"sakari-messages\", \"sakari-webhooks\"]\n"));
    for group in &groups {
        clippy(group);
    }
    clippy("sakari");
    clippy("sakari-messages,client,schemars");
    clippy("sakari-webhooks,webhooks");
}
