//! What a newcomer waits for: a clone of `HEAD` with an empty target folder (the dependencies
//! already downloaded), its first `cargo xtask codegen` and then `cargo test --workspace`, each
//! timed; then warm generation with the dev-profile generator that clone built. Part of
//! `cargo xtask bench-codegen` (alone with `--fresh-clone`), as the `## A fresh clone` section of
//! `BENCH.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The heading of the section this writes into `BENCH.md`.
const HEADING: &str = "## A fresh clone";

/// Warm runs of each generation, of which the median is shown.
const WARM_RUNS: usize = 5;

/// What a fresh clone cost.
pub struct FreshClone {
    commit: String,
    first_codegen: Duration,
    test: Result<Duration, String>,
    warm_shipped: Duration,
    /// Stripe's document, where `../shared/corpora` has it, and the stages of one more run
    /// (`--timings`).
    warm_stripe: Option<(Duration, String)>,
}

/// Clones `root`'s `HEAD` into `work` and measures it.
pub fn measure(root: &Path, work: &Path) -> Result<FreshClone, String> {
    let clone = work.join("fresh-clone");
    let _ = std::fs::remove_dir_all(&clone);
    run(Command::new("git")
        .args(["clone", "--quiet", "--no-local"])
        .arg(root)
        .arg(&clone))?;
    let commit = run(Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(&clone))?
    .trim()
    .to_owned();
    eprintln!("fresh clone of {commit}: first `cargo xtask codegen`");
    let started = Instant::now();
    run(cargo(&clone).args(["xtask", "codegen"]))?;
    let first_codegen = started.elapsed();
    eprintln!(
        "fresh clone: {:.1} s; `cargo test --workspace`",
        first_codegen.as_secs_f64()
    );
    let started = Instant::now();
    let test = run(cargo(&clone).args(["test", "--workspace", "--quiet"]))
        .map(|_| started.elapsed())
        .map_err(|e| tail(&e, 20));
    let xtask = clone.join("target/debug/xtask");
    let warm_shipped = median_of(WARM_RUNS, || {
        run(Command::new(&xtask)
            .args(["codegen", "--check"])
            .current_dir(&clone))
    })?;
    let stripe = root.join("../shared/corpora/large/stripe_spec3_2022-04-12.json");
    let warm_stripe = if stripe.is_file() {
        let out = work.join("fresh-clone-stripe");
        let generate = || {
            let mut command = Command::new(&xtask);
            command.arg("codegen").arg("--schemas").arg(&stripe);
            command.arg("--out").arg(&out);
            command
        };
        let wall = median_of(WARM_RUNS, || run(&mut generate()))?;
        let printed = run(generate().arg("--timings"))?;
        let stages = printed
            .lines()
            .find_map(|l| l.strip_prefix("timings: "))
            .unwrap_or("not printed")
            .to_owned();
        Some((wall, stages))
    } else {
        None
    };
    Ok(FreshClone {
        commit,
        first_codegen,
        test,
        warm_shipped,
        warm_stripe,
    })
}

/// `cargo` in `dir`, building into `dir`'s own (empty) target folder.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(dir).env_remove("CARGO_TARGET_DIR");
    command
}

/// Runs `command`; what it printed, or why it failed.
fn run(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("{command:?} does not start: {e}"))?;
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(printed)
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{printed}",
            output.status
        ))
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The median wall time of `runs` runs of `step`.
fn median_of(
    runs: usize,
    mut step: impl FnMut() -> Result<String, String>,
) -> Result<Duration, String> {
    let mut walls = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        step()?;
        walls.push(started.elapsed());
    }
    walls.sort();
    Ok(walls[walls.len() / 2])
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**not met**"
    }
}

/// The `## A fresh clone` section of `BENCH.md`.
pub fn section(measured: &FreshClone) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut out = String::new();
    let _ = writeln!(out, "{HEADING}\n");
    let _ = writeln!(
        out,
        "A clone of `HEAD` ({}) with an empty target folder, the dependencies already downloaded, \
         on this machine ({cores} cores): the first `cargo xtask codegen` (it builds the generator \
         in the dev profile, then generates `generated/`), then `cargo test --workspace`. Then \
         warm, the generator that clone built, median of {WARM_RUNS} runs.\n",
        measured.commit
    );
    let _ = writeln!(out, "| step | wall | target |");
    let _ = writeln!(out, "|---|---:|---|");
    let first = measured.first_codegen.as_secs_f64();
    let _ = writeln!(
        out,
        "| first `cargo xtask codegen` | {first:.1} s | ≤ 30 s: {} |",
        met(first <= 30.0)
    );
    match &measured.test {
        Ok(wall) => {
            let secs = wall.as_secs();
            let _ = writeln!(
                out,
                "| `cargo test --workspace` after it | {} min {:02} s | ≤ 4 min: {} |",
                secs / 60,
                secs % 60,
                met(secs <= 240)
            );
        }
        Err(why) => {
            let _ = writeln!(
                out,
                "| `cargo test --workspace` after it | failed | ≤ 4 min: **not met** |"
            );
            let _ = writeln!(out, "\n```text\n{why}\n```\n");
        }
    }
    let shipped = measured.warm_shipped.as_secs_f64();
    let _ = writeln!(
        out,
        "| warm: the shipped schemas (`xtask codegen --check`) | {shipped:.2} s | < 0.2 s: {} |",
        met(shipped < 0.2)
    );
    match &measured.warm_stripe {
        Some((stripe, stages)) => {
            let stripe = stripe.as_secs_f64();
            let _ = writeln!(
                out,
                "| warm: Stripe's document (417 operations) | {stripe:.2} s | < 1 s: {} |",
                met(stripe < 1.0)
            );
            let _ = writeln!(
                out,
                "\nStripe's document in the dev profile, by stage (`--timings`, one more run): \
                 {stages}."
            );
        }
        None => {
            let _ = writeln!(
                out,
                "| warm: Stripe's document | not measured (no `../shared/corpora`) | < 1 s |"
            );
        }
    }
    out
}

/// `bench` with its fresh-clone section replaced by `section` (or `section` added at the end).
pub fn replace_section(bench: &str, section: &str) -> String {
    let Some(start) = bench.find(&format!("\n{HEADING}\n")).map(|i| i + 1) else {
        return format!("{}\n\n{section}", bench.trim_end());
    };
    let rest = &bench[start + HEADING.len()..];
    match rest.find("\n## ") {
        Some(i) => {
            let next = start + HEADING.len() + i + 1;
            format!("{}{section}\n{}", &bench[..start], &bench[next..])
        }
        None => format!("{}{section}", &bench[..start]),
    }
}

/// Measures a fresh clone and writes its section into `BENCH.md`, keeping the rest.
pub fn update_bench(root: &Path, work: &Path) -> Result<PathBuf, String> {
    let measured = measure(root, work)?;
    let text = section(&measured);
    print!("{text}");
    let file = root.join("BENCH.md");
    let bench = std::fs::read_to_string(&file).unwrap_or_default();
    std::fs::write(&file, replace_section(&bench, &text))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::replace_section;

    #[test]
    fn the_section_replaces_its_old_self_and_nothing_else() {
        let new = "## A fresh clone\n\nnew\n";
        let bench = "# Bench\n\n## Build\n\nb\n\n## A fresh clone\n\nold\n\n## Where\n\nw\n";
        assert_eq!(
            replace_section(bench, new),
            "# Bench\n\n## Build\n\nb\n\n## A fresh clone\n\nnew\n\n## Where\n\nw\n"
        );
        let last = "# Bench\n\n## A fresh clone\n\nold\n";
        assert_eq!(
            replace_section(last, new),
            "# Bench\n\n## A fresh clone\n\nnew\n"
        );
        assert_eq!(
            replace_section("# Bench\n", new),
            "# Bench\n\n## A fresh clone\n\nnew\n"
        );
    }
}
