//! Shared by the tests that build a generated crate.

use std::path::Path;
use std::process::Command;

/// Runs `cargo <args> --quiet --offline --manifest-path <crate>/Cargo.toml` with the given extra
/// environment, in one target folder shared by these tests; returns whether it succeeded, and
/// everything it printed.
pub fn cargo(args: &[&str], crate_dir: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .args(["--quiet", "--offline", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates"),
        )
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}
