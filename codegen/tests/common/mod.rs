//! Shared by the tests that build a generated crate.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `cargo <args> --quiet --offline --manifest-path <crate>/Cargo.toml` with the given extra
/// environment, in one target folder shared by these tests; returns whether it succeeded, and
/// everything it printed.
#[allow(dead_code)]
pub fn cargo(args: &[&str], crate_dir: &Path, env: &[(&str, &str)]) -> (bool, String) {
    cargo_in("generated-crates", args, crate_dir, env)
}

/// The target folder called `name`, shared by the tests that use it.
pub fn target_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// [`cargo`] in the target folder called `name` (one for each set of build flags, so that no two
/// sets rebuild each other's dependencies).
pub fn cargo_in(
    target: &str,
    args: &[&str],
    crate_dir: &Path,
    env: &[(&str, &str)],
) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .args(["--quiet", "--offline", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir(target))
        // The crates are built to be checked and run, never debugged: no debug info to write.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
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
