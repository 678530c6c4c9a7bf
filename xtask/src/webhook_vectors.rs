//! `cargo xtask webhook-vectors`: webhook requests signed by independent implementations, and
//! the webhook suite run on them.

use crate::{cargo, dirs_cache, pip_install, workspace_root, write_flag};
use std::path::Path;
use std::process::{Command, ExitCode};

pub const USAGE: &str = "cargo xtask webhook-vectors [--write]

  installs the signers (PyPI: standardwebhooks, stripe, twilio, cryptography; pinned) into
  ~/.cache/msgapi-codegen/oracles, signs fresh webhook requests with them
  (xtask/oracles/sign_webhooks.py), and runs tests/tests/webhooks.rs on those requests;
  --write also replaces tests/fixtures/webhooks/signed.json, which `cargo test --workspace`
  checks offline";

/// The signers, pinned so that a run is repeatable.
const PACKAGES: &[&str] = &[
    "standardwebhooks==1.1.0",
    "stripe==16.1.0",
    "twilio==9.13.0",
    "cryptography==50.0.2",
];

pub fn run(args: &[String]) -> ExitCode {
    let Some(write) = write_flag(args, USAGE) else {
        return ExitCode::from(2);
    };
    let root = workspace_root();
    let lib = dirs_cache().join("msgapi-codegen/oracles/python");
    if let Err(why) = install(&lib) {
        eprintln!("the signers could not be installed: {why}");
        return ExitCode::FAILURE;
    }
    let out = root.join("target/webhook-vectors/signed.json");
    let signed = std::fs::create_dir_all(out.parent().unwrap_or(&root)).is_ok()
        && Command::new("python3")
            .arg(root.join("xtask/oracles/sign_webhooks.py"))
            .arg(&out)
            .env("PYTHONPATH", &lib)
            .status()
            .is_ok_and(|s| s.success());
    if !signed {
        eprintln!("signing the webhook requests failed (see above)");
        return ExitCode::FAILURE;
    }
    println!("signed:      {}", out.display());
    let tested = Command::new(cargo())
        .args(["test", "-p", "api-tests", "--test", "webhooks"])
        .env("WEBHOOK_VECTORS", &out)
        .current_dir(&root)
        .status()
        .is_ok_and(|s| s.success());
    if !tested {
        eprintln!("the webhook suite failed on freshly signed requests");
        return ExitCode::FAILURE;
    }
    if write {
        let fixture = root.join("tests/fixtures/webhooks/signed.json");
        if let Err(e) = std::fs::copy(&out, &fixture) {
            eprintln!("{}: {e}", fixture.display());
            return ExitCode::FAILURE;
        }
        println!("written:     {}", fixture.display());
    }
    ExitCode::SUCCESS
}

/// Installs the pinned signers into `lib`, unless they are there already.
fn install(lib: &Path) -> Result<(), String> {
    pip_install(lib, PACKAGES)
}
