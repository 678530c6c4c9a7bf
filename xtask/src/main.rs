//! Project commands: `cargo xtask codegen`, `diff`, `large-spec`, `naming-stability`, `conformance`,
//! `fuzz`, `bench-codegen`, `webhook-vectors`, `swagger2-twins`,
//! `yaml-suite`.

mod api_diff_cmd;
mod bench_codegen;
mod callgrind;
mod codegen_cmd;
mod conformance;
mod distill_cmd;
mod fresh_clone;
mod fuzz;
mod large_spec;
mod naming_stability;
mod swagger2_twins;
mod webhook_vectors;
mod wire_check;
mod yaml_suite;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn usage() -> String {
    let all = [
        codegen_cmd::USAGE,
        api_diff_cmd::USAGE,
        distill_cmd::USAGE,
        large_spec::USAGE,
        naming_stability::USAGE,
        conformance::USAGE,
        fuzz::USAGE,
        bench_codegen::USAGE,
        webhook_vectors::USAGE,
        swagger2_twins::USAGE,
        yaml_suite::USAGE,
        wire_check::USAGE,
    ];
    format!("usage: {}", all.join("\n\n       "))
}

/// mimalloc: the generator allocates and frees many small values (tokens, syntax trees, text),
/// and runs 20–27% faster on large documents with it than with the system allocator. Built
/// without transparent huge pages (`no_thp`): with them, peak memory on a small document was
/// 2.5 times the system allocator's (20 MiB against 8 on Sakari's), and no faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd::codegen(&args[1..]),
        Some("large-spec") => large_spec::run(&args[1..]),
        Some("naming-stability") => naming_stability::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        Some("bench-codegen") => bench_codegen::run(&args[1..]),
        Some("diff") => api_diff_cmd::run(&args[1..]),
        Some("distill") => distill_cmd::run(&args[1..]),
        Some("webhook-vectors") => webhook_vectors::run(&args[1..]),
        Some("swagger2-twins") => swagger2_twins::run(&args[1..]),
        Some("yaml-suite") => yaml_suite::run(&args[1..]),
        Some("wire-check") => wire_check::run(&args[1..]),
        _ => {
            eprintln!("{}", usage());
            ExitCode::from(2)
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// The user's cache folder (`XDG_CACHE_HOME`, else `~/.cache`), where tools that commands install
/// are kept, outside the repository.
fn dirs_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
}

/// Runs `installer` (which installs `packages` into `dir`) unless the pins written in `dir` by the
/// last install are these, then writes them.
fn install_pinned(
    dir: &Path,
    packages: &[&str],
    installer: impl FnOnce() -> Command,
) -> Result<(), String> {
    let pins = dir.join(".pins");
    let wanted = packages.join("\n");
    if std::fs::read_to_string(&pins).is_ok_and(|p| p == wanted) {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut command = installer();
    let program = command.get_program().to_string_lossy().into_owned();
    let status = command.status().map_err(|e| format!("{program}: {e}"))?;
    if !status.success() {
        return Err(format!("{program} exited with {status}"));
    }
    std::fs::write(&pins, wanted).map_err(|e| format!("{}: {e}", pins.display()))
}

/// Installs the pinned PyPI `packages` into `dir` (see [`install_pinned`]), for `PYTHONPATH`.
fn pip_install(dir: &Path, packages: &[&str]) -> Result<(), String> {
    install_pinned(dir, packages, || {
        let mut pip = Command::new("python3");
        pip.args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--upgrade",
            "--target",
        ])
        .arg(dir)
        .args(packages);
        pip
    })
}

/// Installs the pinned npm `packages` into `dir` (see [`install_pinned`]).
fn npm_install(dir: &Path, packages: &[&str]) -> Result<(), String> {
    install_pinned(dir, packages, || {
        let mut npm = Command::new("npm");
        npm.args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(dir)
            .args(packages);
        npm
    })
}

/// Whether a command that takes only `--write` was given it; `None` (after printing `usage`)
/// for any other arguments.
fn write_flag(args: &[String], usage: &str) -> Option<bool> {
    match args {
        [] => Some(false),
        [flag] if flag == "--write" => Some(true),
        _ => {
            eprintln!("usage: {usage}");
            None
        }
    }
}

/// The cargo that runs this command (`CARGO`), or the one on the `PATH`.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Lints a generated standalone crate, with the given cargo features, warnings as errors (clippy
/// when installed, else `cargo build`), in its own target folder. Returns the tool's output on failure.
fn lint_crate(manifest: &Path, target_dir: &Path, features: &str) -> Result<(), String> {
    let cargo = cargo();
    let has_clippy = Command::new(&cargo)
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let mut command = Command::new(&cargo);
    let tool = if has_clippy { "clippy" } else { "build" };
    command.args([
        tool,
        "--quiet",
        "--offline",
        "--all-targets",
        "--features",
        features,
        "--manifest-path",
    ]);
    command.arg(manifest);
    if has_clippy {
        command.args(["--", "-D", "warnings"]);
    } else {
        command.env("RUSTFLAGS", "-D warnings");
    }
    let output = command
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
