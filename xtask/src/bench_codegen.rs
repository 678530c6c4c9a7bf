//! `cargo xtask bench-codegen`: generation speed, peak memory and output size of this generator
//! next to its peers (ploidy for OpenAPI, cargo-typify for JSON Schema), run side by side on the
//! same inputs, alternating tools, medians of N runs; then the crate-only clean builds of each
//! generated crate (medians, tools alternating), and of ours with one typical group of operations
//! alone (its cargo feature, `--no-default-features`); where ours builds in more than
//! [`BUILD_TARGET`] × the peer's time, a profile of both builds (rustc's self-profiler, summed by
//! `xtask/rustc-profile`); then the deserialise benchmark of the generated types against a derive
//! twin. Prints the tables and writes them to `BENCH.md`.

use crate::{callgrind, dirs_cache, workspace_root};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

pub const USAGE: &str =
    "cargo xtask bench-codegen [--runs N] [--builds N] [--no-build] [--no-deserialize] [--no-count]
                           [--peers DIR] [--only NAME] [--fresh-clone] [--no-fresh-clone]

  --runs N     generation runs per tool and input, alternating tools (default 3; more, up to 51,
               where fewer rounds of an input's runs would take under 2 s); medians are shown
  --builds N   crate-only clean builds per generated crate, alternating tools (default 3; more,
               up to 11, where fewer rounds of an input's builds would take under a minute)
  --no-build   skip the crate-only clean builds of the generated crates
  --no-deserialize
               skip the deserialise benchmark (`cargo bench -p api-tests --bench deserialize`)
  --fresh-clone
               only measure a fresh clone of HEAD (its first `cargo xtask codegen`, then
               `cargo test --workspace`, then warm generation in the dev profile) and replace
               that section of BENCH.md, keeping the rest
  --no-fresh-clone
               leave the fresh-clone measurement (about 5 minutes) out of a full run
  --no-count   count no instructions with callgrind (counted where valgrind is installed: each
               tool's generation of each input once, and each side of the deserialise benchmark)
  --peers DIR  where ploidy 0.15 and cargo-typify 0.8 are installed on first use (default:
               ~/.cache/msgapi-codegen/peers); without them (no network), ours runs alone
  --only NAME  only the inputs whose name contains NAME; `--only deserialize`: the deserialise
               benchmark alone";

const PLOIDY: (&str, &str) = ("ploidy", "0.15.0");
/// The deserialise benchmark's target, and the `--only` value that runs it alone.
const DESERIALIZE: &str = "deserialize";
const TYPIFY: (&str, &str) = ("cargo-typify", "0.8.0");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Ours,
    Ploidy,
    Typify,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::Ploidy => "ploidy 0.15",
            Tool::Typify => "cargo-typify 0.8",
        }
    }
}

/// One input and the peer that reads the same kind of document, if one does.
struct Input {
    name: &'static str,
    path: PathBuf,
    peer: Option<Tool>,
}

/// What one run of a command cost.
#[derive(Debug, Clone)]
struct Cost {
    wall: Duration,
    /// Peak resident memory of the process and its waited-for children, in KiB.
    max_rss_kib: i64,
    /// The stages ours reports with `--timings` (name, seconds); none for the peers.
    stages: Vec<(String, f64)>,
}

/// `timings: load 99.5 ms, lower 152.3 ms, …` in what a command printed → (stage, seconds).
fn stages(printed: &str) -> Vec<(String, f64)> {
    let Some(line) = printed.lines().find_map(|l| l.strip_prefix("timings: ")) else {
        return Vec::new();
    };
    line.split(", ")
        .filter_map(|stage| {
            let (name, ms) = stage.strip_suffix(" ms")?.rsplit_once(' ')?;
            Some((name.to_owned(), ms.parse::<f64>().ok()? / 1000.0))
        })
        .collect()
}

/// The measurements of one tool on one input.
#[derive(Default)]
struct Row {
    generation: Vec<Cost>,
    /// Instructions of one generation (all threads, and the processes it starts), as callgrind
    /// counts them.
    instructions: Option<Result<u64, String>>,
    failure: Option<String>,
    lines: usize,
    build: Option<Result<Vec<Cost>, String>>,
    /// Ours: the crate built with one group's feature alone.
    group_build: Option<GroupBuild>,
    /// Where one more clean build's time went (see [`CrateBuild::profile`]): seconds by
    /// category, largest first; only where ours builds slower than [`BUILD_TARGET`] × the peer.
    profile: Option<Result<Vec<(f64, String)>, String>>,
}

/// The crate-only clean builds of a generated crate with one group of operations alone.
#[derive(Debug)]
struct GroupBuild {
    feature: String,
    operations: usize,
    /// [`reached_items`].
    items: (usize, usize),
    builds: Result<Vec<Cost>, String>,
}

/// Of the items the generated sources gate on the group's module (a `#[cfg(…)]` naming a feature of
/// it), those the group's own feature turns on, and all of them: how much of the crate the group
/// reaches.
fn reached_items(crate_dir: &Path, feature: &str) -> (usize, usize) {
    let module = feature.split('-').next().unwrap_or(feature);
    let (of_module, of_group) = (format!("\"{module}"), format!("\"{feature}\""));
    let mut counts = (0, 0);
    let Ok(entries) = std::fs::read_dir(crate_dir.join("src")) else {
        return counts;
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines().map(str::trim_start) {
            if line.starts_with("#[cfg(") && line.contains(&of_module) {
                counts.1 += 1;
                counts.0 += usize::from(line.contains(&of_group));
            }
        }
    }
    counts
}

/// The group of median size (by operations; ties by name) among those `Cargo.toml` lists
/// (`# 12 operations.` above `<module>-<group> = []`), with its operation count.
fn typical_group(manifest: &str) -> Option<(String, usize)> {
    let lines: Vec<&str> = manifest.lines().collect();
    let mut groups: Vec<(usize, String)> = lines
        .windows(2)
        .filter_map(|pair| {
            let count = pair[0]
                .strip_prefix("# ")?
                .split(' ')
                .next()?
                .parse()
                .ok()?;
            let rest = pair[0].split(' ').nth(2)?;
            let (feature, _) = pair[1].split_once(" = [")?;
            rest.starts_with("operation")
                .then(|| (count, feature.to_owned()))
        })
        .collect();
    groups.sort();
    let (count, feature) = groups.get(groups.len() / 2)?.clone();
    Some((feature, count))
}

pub fn run(args: &[String]) -> ExitCode {
    if let Some(("--measure-child", rest)) = args.split_first().map(|(a, r)| (a.as_str(), r)) {
        return measure_child(rest);
    }
    let mut runs = 3usize;
    let mut builds = 3usize;
    let mut build = true;
    let mut deserialize = true;
    let mut count = true;
    let mut only: Option<String> = None;
    let mut fresh_clone = true;
    let mut fresh_clone_only = false;
    let mut peers_dir = dirs_cache().join("msgapi-codegen/peers");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.clone().next()) {
            ("--runs", Some(v)) if v.parse::<usize>().is_ok_and(|n| n > 0) => {
                runs = v.parse().unwrap_or(3);
                it.next();
            }
            ("--builds", Some(v)) if v.parse::<usize>().is_ok_and(|n| n > 0) => {
                builds = v.parse().unwrap_or(3);
                it.next();
            }
            ("--peers", Some(v)) => {
                peers_dir = PathBuf::from(v);
                it.next();
            }
            ("--only", Some(v)) => {
                only = Some(v.clone());
                it.next();
            }
            ("--no-build", _) => build = false,
            ("--no-deserialize", _) => deserialize = false,
            ("--no-count", _) => count = false,
            ("--fresh-clone", _) => fresh_clone_only = true,
            ("--no-fresh-clone", _) => fresh_clone = false,
            _ => {
                eprintln!("usage: {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let root = workspace_root();
    let work = root.join("target/bench-codegen");
    if let Err(e) = std::fs::create_dir_all(&work) {
        eprintln!("cannot create {}: {e}", work.display());
        return ExitCode::FAILURE;
    }
    if fresh_clone_only {
        return match crate::fresh_clone::update_bench(&root, &work) {
            Ok(file) => {
                eprintln!("written to {}", file.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let count = count && callgrind::available();
    if only.as_deref() == Some(DESERIALIZE) {
        return match deserialise_table(&root, &work, count) {
            Ok(table) => {
                print!("{table}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let ours = match build_ours(&root) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("cannot build the generator in release mode: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ploidy = install_peer(&peers_dir, PLOIDY, "ploidy");
    let typify = install_peer(&peers_dir, TYPIFY, "cargo-typify");
    let mut notes = Vec::new();
    for (tool, found) in [(Tool::Ploidy, &ploidy), (Tool::Typify, &typify)] {
        if let Err(why) = found {
            let note = format!("{} is not available ({why}); ours runs alone", tool.name());
            eprintln!("{note}");
            notes.push(note);
        }
    }
    if !count {
        notes.push(not_counted().to_owned());
    }
    let mut inputs = inputs(&root, &work, &mut notes);
    if let Some(only) = &only {
        inputs.retain(|i| i.name.contains(only.as_str()));
    }
    let mut results: Vec<(&Input, Vec<(Tool, Row)>)> = Vec::new();
    for input in &inputs {
        let peer_binary = match input.peer {
            Some(Tool::Ploidy) => ploidy.as_ref().ok(),
            Some(Tool::Typify) => typify.as_ref().ok(),
            _ => None,
        };
        let mut tools = vec![(Tool::Ours, Row::default())];
        if let (Some(peer), Some(_)) = (input.peer, peer_binary) {
            tools.push((peer, Row::default()));
        }
        // Alternating tools, so a slow moment of the machine costs both alike.
        let total = repeat(runs, GENERATION_BUDGET, MAX_GENERATION_RUNS, |_| {
            let mut walls = Vec::new();
            for (tool, row) in tools.iter_mut() {
                if row.failure.is_some() {
                    continue;
                }
                let out = crate_dir(&work, input, *tool, false);
                let command = generation(*tool, input, &ours, peer_binary, &out);
                // A peer is only in `tools` when its binary is there.
                let Some(command) = command else { continue };
                match measure(command) {
                    Ok(cost) => {
                        walls.push(cost.wall);
                        row.generation.push(cost);
                        row.lines = rust_lines(&out);
                    }
                    Err(e) => row.failure = Some(e),
                }
            }
            walls
        });
        eprintln!("{}: {} runs each", input.name, total);
        if count {
            for (tool, row) in tools.iter_mut().filter(|(_, row)| row.failure.is_none()) {
                let out = crate_dir(&work, input, *tool, true);
                let command = generation(*tool, input, &ours, peer_binary, &out);
                let counted = work.join(format!(
                    "callgrind-{}.out",
                    slug(&format!("{} {}", input.name, tool_slug(*tool)))
                ));
                row.instructions =
                    command.map(|c| callgrind::count(&c, &counted, &[]).map(|p| p.total));
            }
        }
        if build {
            build_crates(input, &mut tools, &work, builds);
        }
        results.push((input, tools));
    }
    let deserialise = if deserialize && only.is_none() {
        eprintln!("deserialise benchmark: cargo bench -p api-tests --bench deserialize");
        Some(deserialise_table(&root, &work, count))
    } else {
        None
    };
    let mut report = report(&results, runs, builds, deserialise.as_ref(), &notes);
    if fresh_clone && only.is_none() {
        match crate::fresh_clone::measure(&root, &work) {
            Ok(measured) => {
                report.push('\n');
                report.push_str(&crate::fresh_clone::section(&measured));
            }
            Err(e) => eprintln!("fresh clone not measured: {e}"),
        }
    }
    print!("{report}");
    let file = root.join("BENCH.md");
    if only.is_none() {
        if let Err(e) = std::fs::write(&file, &report) {
            eprintln!("cannot write {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
        eprintln!("written to {}", file.display());
    }
    ExitCode::SUCCESS
}

/// A folder name (also a valid package name) for an input: `stripe-2022-04-12`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

fn tool_slug(tool: Tool) -> &'static str {
    match tool {
        Tool::Ours => "ours",
        Tool::Ploidy => "ploidy",
        Tool::Typify => "typify",
    }
}

/// The inputs that are here: the shipped schemas (the whole folder, ours alone; and each vendor's
/// OpenAPI document bundled into one file, as ploidy reads no references to other files), the
/// corpus documents when `../shared` is beside the checkout, and Stripe's `components/schemas` as
/// one JSON Schema file (made here).
fn inputs(root: &Path, work: &Path, notes: &mut Vec<String>) -> Vec<Input> {
    let mut out = vec![Input {
        name: "shipped schemas/ (3 vendors)",
        path: root.join("schemas"),
        peer: None,
    }];
    for (vendor, name) in [
        ("sakari", "sakari (shipped, bundled)"),
        ("chatwoot", "chatwoot (shipped, bundled)"),
        ("textus", "textus (shipped, bundled)"),
    ] {
        match bundle(
            &root.join("schemas").join(vendor).join("openapi.json"),
            work,
        ) {
            Ok(path) => out.push(Input {
                name,
                path,
                peer: Some(Tool::Ploidy),
            }),
            Err(e) => notes.push(format!("{name}: {e}")),
        }
    }
    let corpora = root.join("../shared/corpora");
    let chatwoot = corpora.join("vendors/chatwoot/swagger.json");
    let stripe = corpora.join("large/stripe_spec3_2022-04-12.json");
    let discord = corpora.join("vendors/discord/openapi.json");
    if chatwoot.is_file() {
        out.push(Input {
            name: "chatwoot (vendor document)",
            path: chatwoot,
            peer: Some(Tool::Ploidy),
        });
    }
    if discord.is_file() {
        out.push(Input {
            name: "discord (vendor document)",
            path: discord,
            peer: Some(Tool::Ploidy),
        });
    }
    if stripe.is_file() {
        out.push(Input {
            name: "stripe 2022-04-12",
            path: stripe.clone(),
            peer: Some(Tool::Ploidy),
        });
        match stripe_as_json_schema(&stripe, work) {
            Ok(path) => out.push(Input {
                name: "stripe schemas (JSON Schema)",
                path,
                peer: Some(Tool::Typify),
            }),
            Err(e) => notes.push(format!("Stripe's schemas as JSON Schema: {e}")),
        }
    } else {
        notes.push(
            "../shared/corpora is not beside the checkout: only the shipped schemas ran".into(),
        );
    }
    out
}

/// An OpenAPI document and the schema files it refers to, as one document: each referenced
/// file's root and each of its `$defs` become an entry of `components/schemas`, and every `$ref`
/// is pointed there.
fn bundle(openapi: &Path, work: &Path) -> Result<PathBuf, String> {
    let dir = openapi.parent().ok_or("no folder")?;
    let read = |file: &str| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))
    };
    let mut doc = read(
        openapi
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default(),
    )?;
    let mut pending: Vec<String> = Vec::new();
    rewrite_refs(&mut doc, None, &mut pending);
    let mut schemas = serde_json::Map::new();
    let mut done = std::collections::BTreeSet::new();
    while let Some(file) = pending.pop() {
        if !done.insert(file.clone()) {
            continue;
        }
        let mut schema = read(&file)?;
        rewrite_refs(&mut schema, Some(&file), &mut pending);
        if let Some(serde_json::Value::Object(defs)) = schema
            .as_object_mut()
            .and_then(|o| o.remove("$defs").or_else(|| o.remove("definitions")))
        {
            for (name, def) in defs {
                schemas.insert(component_name(&file, Some(&name)), def);
            }
        }
        schemas.insert(component_name(&file, None), schema);
    }
    let components = doc
        .as_object_mut()
        .ok_or("the document is not an object")?
        .entry("components")
        .or_insert_with(|| serde_json::json!({}));
    let own = components
        .as_object_mut()
        .ok_or("`components` is not an object")?
        .entry("schemas")
        .or_insert_with(|| serde_json::json!({}));
    if let serde_json::Value::Object(own) = own {
        own.extend(schemas);
    }
    let stem = dir.file_name().and_then(|f| f.to_str()).unwrap_or("api");
    let path = work.join(format!("{stem}-bundled.json"));
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path)
}

/// The `components/schemas` name of a file's root (`call.json` → `Call`) or of one of its `$defs`.
fn component_name(file: &str, def: Option<&str>) -> String {
    match def {
        Some(def) => def.to_owned(),
        None => file
            .trim_end_matches(".json")
            .split(['-', '_', '.'])
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            })
            .collect(),
    }
}

/// Points every `$ref` of a bundled file (`file`; `None` for the OpenAPI document itself) at
/// `components/schemas`, and lists the files they name.
fn rewrite_refs(value: &mut serde_json::Value, file: Option<&str>, files: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(reference)) = map.get_mut("$ref") {
                let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                let target = if target.is_empty() {
                    file
                } else {
                    Some(target)
                };
                if let Some(target) = target.map(str::to_owned) {
                    let rest = fragment
                        .strip_prefix("/$defs/")
                        .or_else(|| fragment.strip_prefix("/definitions/"));
                    *reference = match rest {
                        Some(rest) => {
                            let (def, deeper) = rest.split_once('/').unwrap_or((rest, ""));
                            let deeper = if deeper.is_empty() {
                                String::new()
                            } else {
                                format!("/{deeper}")
                            };
                            format!(
                                "#/components/schemas/{}{deeper}",
                                component_name(&target, Some(def))
                            )
                        }
                        None => format!(
                            "#/components/schemas/{}{fragment}",
                            component_name(&target, None)
                        ),
                    };
                    files.push(target);
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, file, files);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                rewrite_refs(child, file, files);
            }
        }
        _ => {}
    }
}

/// Stripe's `components/schemas` as one JSON Schema document: the schemas under `$defs`, every
/// `#/components/schemas/` reference pointed there, and a root that refers to all of them.
fn stripe_as_json_schema(stripe: &Path, work: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(stripe).map_err(|e| e.to_string())?;
    let text = text.replace("#/components/schemas/", "#/$defs/");
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let defs = doc
        .pointer("/components/schemas")
        .cloned()
        .ok_or("no components/schemas")?;
    let names: Vec<String> = defs
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let properties: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|n| {
            (
                n.clone(),
                serde_json::json!({ "$ref": format!("#/$defs/{n}") }),
            )
        })
        .collect();
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "StripeSchemas",
        "type": "object",
        "properties": properties,
        "$defs": defs,
    });
    let path = work.join("stripe-schemas.json");
    let written = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?;
    std::fs::write(&path, written).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Builds `xtask` with the release profile; returns the binary.
fn build_ours(root: &Path) -> Result<PathBuf, String> {
    let cargo = crate::cargo();
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("cargo build --release -p xtask: {status}"));
    }
    Ok(root.join("target/release/xtask"))
}

/// The peer's binary, installed with `cargo install --locked` into `dir` on first use.
fn install_peer(
    dir: &Path,
    (package, version): (&str, &str),
    binary: &str,
) -> Result<PathBuf, String> {
    let path = dir.join("bin").join(binary);
    if path.is_file() {
        return Ok(path);
    }
    eprintln!(
        "installing {package} {version} into {} (once)",
        dir.display()
    );
    let cargo = crate::cargo();
    let status = Command::new(cargo)
        .args([
            "install",
            "--locked",
            "--quiet",
            "--version",
            version,
            package,
            "--root",
        ])
        .arg(dir)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() && path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "`cargo install --locked {package}@{version}` failed"
        ))
    }
}

/// Where `tool` writes its crate for `input`: the timed runs' folder, whose crate is then built;
/// `counted`, the one for the run under callgrind.
fn crate_dir(work: &Path, input: &Input, tool: Tool, counted: bool) -> PathBuf {
    let suffix = if counted { "-counted" } else { "" };
    work.join(format!("{}-{}{suffix}", slug(input.name), tool_slug(tool)))
}

/// The command with which `tool` generates `input` into `out` (emptied first); none for a peer
/// whose binary is missing.
fn generation(
    tool: Tool,
    input: &Input,
    ours: &Path,
    peer: Option<&PathBuf>,
    out: &Path,
) -> Option<Command> {
    // Before the command is made: cargo-typify's makes the folder it writes into.
    let _ = std::fs::remove_dir_all(out);
    match (tool, peer) {
        (Tool::Ours, _) => Some(ours_command(ours, input, out)),
        (Tool::Ploidy, Some(peer)) => Some(ploidy_command(peer, input, out)),
        (Tool::Typify, Some(peer)) => Some(typify_command(peer, input, out)),
        (_, None) => None,
    }
}

fn ours_command(binary: &Path, input: &Input, out: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("codegen")
        .arg("--schemas")
        .arg(&input.path)
        .arg("--out")
        .arg(out)
        .args(["--crate-name", "bench-ours", "--timings"]);
    command
}

fn ploidy_command(binary: &Path, input: &Input, out: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .args(["generate", "rust"])
        .arg(&input.path)
        .arg("-o")
        .arg(out);
    command
}

fn typify_command(binary: &Path, input: &Input, out: &Path) -> Command {
    let _ = std::fs::create_dir_all(out);
    let mut command = Command::new(binary);
    command
        .args(["typify", "--no-builder"])
        .arg(&input.path)
        .arg("--output")
        .arg(out.join("lib.rs"));
    command
}

/// Runs a command to its end; its wall time and peak memory (with its children's). It is started
/// by a small helper process (this binary, `bench-codegen --measure-child`): a child's peak RSS
/// counts the memory of the process it was spawned from, and the helper's is a few MiB where the
/// benchmark's own may be far more.
fn measure(command: Command) -> Result<Cost, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut helper = Command::new(exe);
    helper.args(["bench-codegen", "--measure-child"]);
    let output = wrapped(helper, &command)
        .output()
        .map_err(|e| format!("cannot start: {e}"))?;
    let report = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = report.split_whitespace().collect();
    match fields.as_slice() {
        ["ok", wall, rss] => Ok(Cost {
            wall: Duration::from_secs_f64(wall.parse().map_err(|_| "bad helper output")?),
            max_rss_kib: rss.parse().map_err(|_| "bad helper output")?,
            stages: stages(&String::from_utf8_lossy(&output.stderr)),
        }),
        _ => Err(said(&output.stderr)),
    }
}

/// `wrapper` (a program and its first arguments) running `command`: its program and arguments
/// follow, and it gets the command's environment and folder.
pub(crate) fn wrapped(mut wrapper: Command, command: &Command) -> Command {
    wrapper.arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(v) => wrapper.env(key, v),
            None => wrapper.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        wrapper.current_dir(dir);
    }
    wrapper
}

/// The helper side of [`measure`]: runs `args`, waits for it with `wait4`, and prints
/// `ok <wall seconds> <peak RSS KiB>` (or `failed <status>`); the command's stderr passes through.
fn measure_child(args: &[String]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let child = match Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("error: cannot start {program}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; `pid` is our own child, not yet
    // waited for (the `Child` handle is never waited on after this).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    if waited != pid {
        eprintln!("error: wait4: {}", std::io::Error::last_os_error());
        return ExitCode::FAILURE;
    }
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        println!("ok {} {}", wall.as_secs_f64(), usage.ru_maxrss);
        ExitCode::SUCCESS
    } else {
        println!("failed {status}");
        ExitCode::FAILURE
    }
}

/// Lines of Rust the tool wrote.
fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "target") {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                total += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    total
}

/// The crate-only clean builds of each tool's crate for `input`: `builds` rounds, alternating
/// tools, after each crate's dependencies are built once.
fn build_crates(input: &Input, tools: &mut [(Tool, Row)], work: &Path, builds: usize) {
    let mut ready = Vec::new();
    for (tool, row) in tools.iter_mut() {
        if row.failure.is_some() || *tool == Tool::Typify {
            continue;
        }
        let out = crate_dir(work, input, *tool, false);
        let target = work.join(format!("target-{}", tool_slug(*tool)));
        eprintln!(
            "{}: building the {} crate's dependencies",
            input.name,
            tool.name()
        );
        match CrateBuild::prepare(&out, &target, None) {
            Ok(crate_build) => {
                row.build = Some(Ok(Vec::new()));
                ready.push((*tool, crate_build));
            }
            Err(e) => row.build = Some(Err(e)),
        }
    }
    // Ours again, with one typical group alone.
    let mut group = None;
    if let Some((_, row)) = tools
        .iter_mut()
        .find(|(t, r)| *t == Tool::Ours && matches!(r.build, Some(Ok(_))))
    {
        let out = crate_dir(work, input, Tool::Ours, false);
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
        if let Some((feature, operations)) = typical_group(&manifest) {
            let target = work.join("target-ours");
            let builds = CrateBuild::prepare(&out, &target, Some(&feature));
            row.group_build = Some(GroupBuild {
                items: reached_items(&out, &feature),
                feature,
                operations,
                builds: builds.as_ref().map(|_| Vec::new()).map_err(Clone::clone),
            });
            group = builds.ok();
        }
    }
    repeat(builds, BUILD_BUDGET, MAX_BUILD_ROUNDS, |round| {
        let mut walls = Vec::new();
        for (tool, crate_build) in &ready {
            eprintln!(
                "{}: clean build {} of the {} crate",
                input.name,
                round + 1,
                tool.name()
            );
            let Some((_, row)) = tools.iter_mut().find(|(t, _)| t == tool) else {
                continue;
            };
            if let Some(Ok(costs)) = &mut row.build {
                match crate_build.rebuild() {
                    Ok(cost) => {
                        walls.push(cost.wall);
                        costs.push(cost);
                    }
                    Err(e) => row.build = Some(Err(e)),
                }
            }
        }
        if let (Some(group), Some((_, row))) =
            (&group, tools.iter_mut().find(|(t, _)| *t == Tool::Ours))
        {
            eprintln!("{}: clean build {} with one group", input.name, round + 1);
            if let Some(GroupBuild {
                builds: Ok(costs), ..
            }) = &mut row.group_build
            {
                match group.rebuild() {
                    Ok(cost) => costs.push(cost),
                    Err(e) => {
                        if let Some(g) = &mut row.group_build {
                            g.builds = Err(e);
                        }
                    }
                }
            }
        }
        walls
    });
    // Where ours is above the target, what its build's time goes to, and the peer's.
    let build_of = |row: &Row| match &row.build {
        Some(Ok(costs)) if !costs.is_empty() => medians(costs).0,
        _ => f64::NAN,
    };
    let [(Tool::Ours, ours), (_, peer)] = &*tools else {
        return;
    };
    let above_target = build_of(ours) > BUILD_TARGET * build_of(peer);
    if !above_target {
        return;
    }
    for (tool, crate_build) in &ready {
        eprintln!(
            "{}: profiling a build of the {} crate",
            input.name,
            tool.name()
        );
        let profile = crate_build.profile(&work.join(format!("profile-{}", tool_slug(*tool))));
        if let Some((_, row)) = tools.iter_mut().find(|(t, _)| t == tool) {
            row.profile = Some(profile);
        }
    }
}

/// The crate build the issue asks of ours, as a fraction of the peer's: where ours is slower than
/// this, the report shows where the time of both goes.
const BUILD_TARGET: f64 = 0.4;

/// A short build moves with the machine's own jitter, so an input gets more rounds of builds
/// until they add up to this much…
const BUILD_BUDGET: Duration = Duration::from_secs(60);
/// …but no more rounds than this.
const MAX_BUILD_ROUNDS: usize = 11;
/// The same for generation: a small document generates in a few milliseconds, half of it
/// process start and exit.
const GENERATION_BUDGET: Duration = Duration::from_secs(2);
const MAX_GENERATION_RUNS: usize = 51;

/// Runs `round` (given its index; it returns the wall times it measured) `asked` times, or more
/// where the first round was short: see [`rounds`]. Returns how many rounds ran.
fn repeat(
    asked: usize,
    budget: Duration,
    max: usize,
    mut round: impl FnMut(usize) -> Vec<Duration>,
) -> usize {
    let total = rounds(asked, &round(0), budget, max);
    (1..total).for_each(|index| {
        round(index);
    });
    total
}

/// How many rounds an input gets, given `asked` and the first round's wall times: as many as
/// fill `budget`, up to `max`, and never fewer than `asked`.
fn rounds(asked: usize, first: &[Duration], budget: Duration, max: usize) -> usize {
    let round: Duration = first.iter().sum();
    if round.is_zero() {
        return asked;
    }
    let filling = budget.as_secs_f64() / round.as_secs_f64();
    asked.max((filling.ceil() as usize).min(max))
}

/// A generated crate whose dependencies are built, ready for crate-only clean builds.
struct CrateBuild {
    cargo: String,
    manifest: PathBuf,
    target: PathBuf,
    package: String,
    /// `--no-default-features --features F`, for a build of one feature alone.
    features: Vec<String>,
}

impl CrateBuild {
    /// Makes the crate a workspace of its own (it may sit inside this checkout) and builds it
    /// once, with its dependencies; with `feature`, that feature alone.
    fn prepare(crate_dir: &Path, target: &Path, feature: Option<&str>) -> Result<Self, String> {
        let manifest = crate_dir.join("Cargo.toml");
        let package = package_name(&manifest)?;
        let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
        if !text.lines().any(|l| l.trim() == "[workspace]") {
            std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
                .map_err(|e| e.to_string())?;
        }
        let crate_build = CrateBuild {
            cargo: crate::cargo(),
            manifest,
            target: target.to_owned(),
            package,
            features: feature.map_or_else(Vec::new, |f| {
                vec![
                    "--no-default-features".into(),
                    "--features".into(),
                    f.into(),
                ]
            }),
        };
        measure(crate_build.build()).map_err(|e| format!("first build {e}"))?;
        Ok(crate_build)
    }

    /// Cleans the crate alone and builds it again from scratch, without incremental compilation.
    fn rebuild(&self) -> Result<Cost, String> {
        measure(self.cargo(&["clean", "--quiet", "-p", &self.package]))
            .map_err(|e| format!("clean {e}"))?;
        measure(self.build())
    }

    fn build(&self) -> Command {
        let mut build = self.cargo(&["build", "--quiet"]);
        build.args(&self.features);
        build
    }

    /// One more clean build of the crate alone, with rustc's self-profiler on (`-Z self-profile`;
    /// on a stable toolchain through `RUSTC_BOOTSTRAP=1`), summed by `xtask/rustc-profile` into
    /// seconds by what they were spent on. The profiler slows the build: the shares tell, not
    /// the sum.
    fn profile(&self, dir: &Path) -> Result<Vec<(f64, String)>, String> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        measure(self.cargo(&["clean", "--quiet", "-p", &self.package]))
            .map_err(|e| format!("clean {e}"))?;
        let mut build = self.cargo(&["rustc", "--quiet", "--lib"]);
        build
            .args(&self.features)
            .arg("--")
            .arg(format!("-Zself-profile={}", dir.display()))
            .arg("-Zself-profile-events=default,query-keys")
            .env("RUSTC_BOOTSTRAP", "1");
        measure(build).map_err(|e| format!("profiled build {e}"))?;
        let krate = self.package.replace('-', "_");
        let profile = std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .find(|path| {
                path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(&format!("{krate}-")) && n.ends_with(".mm_profdata")
                })
            })
            .ok_or_else(|| format!("rustc wrote no profile into {}", dir.display()))?;
        let summary = Command::new(&self.cargo)
            .args(["run", "--quiet", "--release", "--manifest-path"])
            .arg(workspace_root().join("xtask/rustc-profile/Cargo.toml"))
            .env("CARGO_TARGET_DIR", self.target.join("rustc-profile"))
            .arg("--")
            .arg(&profile)
            .arg(&krate)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("rustc-profile: {e}"))?;
        if !summary.status.success() {
            return Err(format!("rustc-profile failed on {}", profile.display()));
        }
        Ok(String::from_utf8_lossy(&summary.stdout)
            .lines()
            .filter_map(|line| {
                let (seconds, category) = line.split_once('\t')?;
                Some((seconds.parse().ok()?, category.to_owned()))
            })
            .collect())
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.cargo);
        command
            .args(args)
            .arg("--manifest-path")
            .arg(&self.manifest)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0");
        command
    }
}

/// Runs the deserialise benchmark (the generated types against a derive twin, on the seed
/// payloads); its table, or why there is none. With `counting`, each row gains the instructions
/// callgrind counts for the twin over those for the generated type (unlike time on a shared
/// machine, that count is the same on every run), and a second table tells what the difference
/// is spent on.
fn deserialise_table(root: &Path, work: &Path, counting: bool) -> Result<String, String> {
    let cargo = crate::cargo();
    let bench = ["bench", "-p", "api-tests", "--bench", DESERIALIZE];
    let built = Command::new(&cargo)
        .args(bench)
        .args(["--no-run", "--message-format=json"])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !built.status.success() {
        return Err(format!("cargo bench --no-run: {}", built.status));
    }
    let executable = String::from_utf8_lossy(&built.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == DESERIALIZE)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or("cargo bench --no-run named no deserialize executable")?;
    let output = Command::new(&executable)
        .arg("--bench")
        .current_dir(root.join("tests"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", executable.display()))?;
    if !output.status.success() {
        return Err(format!("{}: {}", executable.display(), output.status));
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    let mut rows = printed.lines().filter(|l| l.starts_with('|'));
    let (Some(header), Some(rule)) = (rows.next(), rows.next()) else {
        return Err("the deserialise benchmark printed no table".into());
    };
    let mut table = if counting {
        format!("{header} instructions, twin / generated |\n{rule}---|\n")
    } else {
        format!("{header}\n{rule}\n")
    };
    let mut spent = format!(
        "\nWhere the instructions differ: per parse, generated minus twin, by what they are spent \
         on (callgrind's count of each function, by its name).\n\n| payload | {} | in all |\n\
         |---|{}---|\n",
        KINDS.join(" | "),
        "---|".repeat(KINDS.len())
    );
    for row in rows {
        table.push_str(row);
        if counting {
            let payload = row.split('|').nth(1).unwrap_or_default().trim();
            let sides = instructions(&executable, payload, "generated", work)
                .and_then(|g| instructions(&executable, payload, "twin", work).map(|t| (g, t)));
            let cell = match sides {
                Ok((generated, twin)) => {
                    let _ = write!(spent, "| {payload} |");
                    for (g, t) in generated.kinds.iter().zip(&twin.kinds) {
                        let _ = write!(spent, " {:+.0} |", g - t);
                    }
                    let _ = writeln!(spent, " {:+.0} |", generated.total - twin.total);
                    format!(
                        " {:.3}× ({:.0} / {:.0}) |",
                        twin.total / generated.total,
                        twin.total,
                        generated.total
                    )
                }
                Err(e) => format!(" – ({}) |", e.replace('|', "/")),
            };
            table.push_str(&cell);
        }
        table.push('\n');
    }
    if counting {
        table.push_str(&spent);
    } else {
        let _ = writeln!(table, "\n({}.)", not_counted());
    }
    Ok(table)
}

/// Why there are no instruction counts.
fn not_counted() -> &'static str {
    if callgrind::available() {
        "`--no-count`: no instruction counts"
    } else {
        "valgrind is not installed: no instruction counts"
    }
}

/// Instructions per parse of `payload` on one side of the harness (`generated` or `twin`), in
/// all and by [`KINDS`], from a callgrind run that counts only inside that side's function (a
/// warm-up batch and one timed batch of `PARSES` parses).
fn instructions(executable: &Path, payload: &str, side: &str, work: &Path) -> Result<Side, String> {
    const PARSES: u32 = 50;
    let mut command = Command::new(executable);
    command
        .arg(payload)
        .env("DESERIALIZE_ROUNDS", "1")
        .env("DESERIALIZE_BATCH", PARSES.to_string());
    // The harness's `deserialize::generated` and `deserialize::twin` (with their generics, where
    // symbols are demangled with them).
    let names = [
        format!("deserialize::{side}"),
        format!("deserialize::{side}::<*"),
    ];
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let out = work.join(format!("callgrind-{payload}-{side}.out"));
    let profile = callgrind::count(&command, &out, &names)?;
    if profile.total == 0 {
        return Err(format!(
            "callgrind counted nothing in `deserialize::{side}`"
        ));
    }
    let parses = f64::from(2 * PARSES);
    let mut kinds = [0.0; KINDS.len()];
    for cost in &profile.functions {
        kinds[kind(cost)] += cost.instructions as f64 / parses;
    }
    Ok(Side {
        total: profile.total as f64 / parses,
        kinds,
    })
}

/// One side's instructions per parse: in all, and by [`KINDS`].
struct Side {
    total: f64,
    kinds: [f64; KINDS.len()],
}

/// What a side's instructions are spent on, coarsely, by the functions' names: the allocator,
/// dropping values, serde_json's scanning of the text (and the C library's copies and compares),
/// and the rest (serde_json's entry points with the types' visitors laid out inside them).
const KINDS: [&str; 4] = [
    "allocator",
    "dropping",
    "scanning the text",
    "visitors and the rest",
];

/// The index in [`KINDS`] of what a function is spent on, by its name and object file. The C
/// library's functions are told by name alone, so that it makes no difference whether its debug
/// information is installed (with it, callgrind names `./malloc/malloc.c:_int_free`; without,
/// `???:_int_free`).
fn kind(cost: &callgrind::Cost) -> usize {
    const ALLOCATOR: usize = 0;
    const DROPPING: usize = 1;
    const SCANNING: usize = 2;
    const REST: usize = 3;
    let name = cost
        .function
        .rsplit_once(':')
        .map_or(&*cost.function, |(_, name)| name);
    let has = |parts: &[&str]| parts.iter().any(|p| cost.function.contains(p));
    if cost.object.contains("/libc.so") || cost.object.contains("/libc-") {
        let allocating = [
            "malloc",
            "free",
            "realloc",
            "calloc",
            "_int_",
            "unlink_chunk",
            "alloc_perturb",
            "tcache",
            "arena",
        ];
        return if allocating.iter().any(|a| name.contains(a)) {
            ALLOCATOR
        } else if ["mem", "str", "bcmp"].iter().any(|c| name.contains(c)) {
            SCANNING
        } else {
            REST
        };
    }
    if has(&[
        "__rust_alloc",
        "__rust_dealloc",
        "__rust_realloc",
        "__rdl_",
        "alloc_shim",
        "finish_grow",
        "grow_one",
        "do_reserve",
    ]) {
        ALLOCATOR
    } else if has(&["drop_in_place", "Drop>::drop", "drop_slow"]) {
        DROPPING
    } else if has(&[
        "serde_json::read::",
        "serde_json::de::Deserializer<R>::",
        "has_next_key",
        "has_next_element",
    ]) {
        SCANNING
    } else {
        REST
    }
}

/// What a failing command said, for an error message: its line that names an error, else its
/// last line.
pub(crate) fn said(printed: &[u8]) -> String {
    let printed = String::from_utf8_lossy(printed);
    let lines: Vec<&str> = printed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.iter().position(|l| l.contains("rror")) {
        // `Error:` alone names the error on the line after it.
        Some(i) if lines[i].ends_with(':') && i + 1 < lines.len() => {
            format!("{} {}", lines[i], lines[i + 1])
        }
        Some(i) => lines[i].to_owned(),
        None => lines.last().unwrap_or(&"no output").to_string(),
    }
}

fn package_name(manifest: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let (true, Some(rest)) = (in_package, line.strip_prefix("name")) {
            if let Some(value) = rest.trim_start().strip_prefix('=') {
                return Ok(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    Err(format!("{} names no package", manifest.display()))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn medians(costs: &[Cost]) -> (f64, f64) {
    let mut wall: Vec<f64> = costs.iter().map(|c| c.wall.as_secs_f64()).collect();
    let mut rss: Vec<f64> = costs
        .iter()
        .map(|c| c.max_rss_kib as f64 / 1024.0)
        .collect();
    (median(&mut wall), median(&mut rss))
}

/// Where ours spends its wall time, per input: the median of each stage `--timings` reports,
/// and the rest of the process (start, reading the arguments, exit).
fn stage_table(results: &[(&Input, Vec<(Tool, Row)>)]) -> String {
    let mut out = String::from(
        "## Where ours spends its time\n\nMedians of the same runs, from `--timings`; \
         *rest* is the wall time outside the stages (process start and exit).\n\n",
    );
    let mut header = false;
    for (input, rows) in results {
        let Some((_, row)) = rows.iter().find(|(t, _)| *t == Tool::Ours) else {
            continue;
        };
        let Some(first) = row.generation.first() else {
            continue;
        };
        let names: Vec<&str> = first.stages.iter().map(|(n, _)| n.as_str()).collect();
        if !header {
            let _ = writeln!(out, "| input | {} | rest | wall |", names.join(" | "));
            let _ = writeln!(out, "|---|{}---|---|", "---|".repeat(names.len()));
            header = true;
        }
        let mut cells = Vec::new();
        let mut total = 0.0;
        for (i, _) in names.iter().enumerate() {
            let mut values: Vec<f64> = row
                .generation
                .iter()
                .filter_map(|c| c.stages.get(i).map(|(_, v)| *v))
                .collect();
            let value = median(&mut values);
            total += value;
            cells.push(format!("{:.0} ms", value * 1000.0));
        }
        let (wall, _) = medians(&row.generation);
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} ms | {:.0} ms |",
            input.name,
            cells.join(" | "),
            (wall - total).max(0.0) * 1000.0,
            wall * 1000.0
        );
    }
    out
}

fn ratio(ours: f64, peer: f64) -> String {
    if ours.is_finite() && peer.is_finite() && peer > 0.0 {
        format!("{:.2}×", ours / peer)
    } else {
        "–".into()
    }
}

/// Ours with one group of operations alone, next to the full crate.
fn group_table(results: &[(&Input, Vec<(Tool, Row)>)]) -> String {
    let mut out = String::from(
        "## One group of operations alone\n\n\
         Ours, built with `--no-default-features --features <group>` for the group of median size \
         (by operations) among the document's groups: crate-only clean build, median of the same \
         rounds as the full crate's, next to it. *Items*: of the items the sources gate on the \
         module's features (a type's definition and impls, an operation's), those the group turns \
         on: what it reaches through the types its operations name.\n\n\
         | input | group | operations | items | group build | full build | group / full |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for (input, rows) in results {
        let Some((_, row)) = rows.iter().find(|(t, _)| *t == Tool::Ours) else {
            continue;
        };
        let Some(group) = &row.group_build else {
            continue;
        };
        let full = match &row.build {
            Some(Ok(costs)) => medians(costs).0,
            _ => f64::NAN,
        };
        let (build, text) = match &group.builds {
            Ok(costs) if !costs.is_empty() => {
                let wall = medians(costs).0;
                (wall, format!("{wall:.2} s ({} builds)", costs.len()))
            }
            Ok(_) => (f64::NAN, "–".into()),
            Err(e) => (f64::NAN, format!("failed: {}", e.replace('|', "/"))),
        };
        let (reached, gated) = group.items;
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {reached} of {gated} | {text} | {full:.2} s | {} |",
            input.name,
            group.feature,
            group.operations,
            ratio(build, full)
        );
    }
    out
}

/// Where the crate builds' time goes, for the inputs where ours builds slower than
/// [`BUILD_TARGET`] × the peer: each category's share of the profiled build, ours next to the
/// peer's.
fn profile_table(results: &[(&Input, Vec<(Tool, Row)>)]) -> Option<String> {
    let mut out = format!(
        "## Where the crate build's time goes\n\n\
         For each input where ours builds in more than {BUILD_TARGET}× the peer's time: one more \
         clean build of each crate with rustc's self-profiler on (`-Z self-profile`, through \
         `RUSTC_BOOTSTRAP=1` on this stable toolchain), summed by `xtask/rustc-profile`: the time \
         of each of the crate's items' bodies (type checking, borrow checking, MIR building, and \
         all they ask for) by the trait they implement, then the crate-wide passes. The profiler \
         slows the build, so each category is given as its share of the profiled build, with the \
         seconds beside it.\n\n"
    );
    let mut any = false;
    for (input, rows) in results {
        let profiles: Vec<(Tool, &Vec<(f64, String)>)> = rows
            .iter()
            .filter_map(|(tool, row)| match &row.profile {
                Some(Ok(p)) => Some((*tool, p)),
                _ => None,
            })
            .collect();
        let failures: Vec<String> = rows
            .iter()
            .filter_map(|(tool, row)| match &row.profile {
                Some(Err(e)) => Some(format!("{}: {e}", tool.name())),
                _ => None,
            })
            .collect();
        if profiles.is_empty() && failures.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(out, "**{}**\n", input.name);
        for failure in &failures {
            let _ = writeln!(out, "- not profiled: {}", failure.replace('|', "/"));
        }
        if profiles.is_empty() {
            let _ = writeln!(out);
            continue;
        }
        let totals: Vec<f64> = profiles
            .iter()
            .map(|(_, p)| p.iter().map(|(s, _)| s).sum())
            .collect();
        // Categories in the order of ours (the first), then any only the peer has.
        let mut categories: Vec<&str> = Vec::new();
        for (_, profile) in &profiles {
            for (_, category) in profile.iter() {
                if !categories.contains(&category.as_str()) {
                    categories.push(category);
                }
            }
        }
        let names: Vec<&str> = profiles.iter().map(|(t, _)| t.name()).collect();
        let _ = writeln!(out, "| spent on | {} |", names.join(" | "));
        let _ = writeln!(out, "|---|{}", "---:|".repeat(names.len()));
        for category in categories {
            let cells: Vec<String> = profiles
                .iter()
                .zip(&totals)
                .map(|((_, profile), total)| {
                    let seconds = profile
                        .iter()
                        .find(|(_, c)| c == category)
                        .map_or(0.0, |(s, _)| *s);
                    format!(
                        "{:.0}% ({seconds:.2} s)",
                        100.0 * seconds / total.max(f64::EPSILON)
                    )
                })
                .collect();
            let _ = writeln!(out, "| {category} | {} |", cells.join(" | "));
        }
        let cells: Vec<String> = totals.iter().map(|t| format!("{t:.2} s")).collect();
        let _ = writeln!(out, "| *profiled build* | {} |\n", cells.join(" | "));
    }
    any.then_some(out)
}

fn report(
    results: &[(&Input, Vec<(Tool, Row)>)],
    runs: usize,
    builds: usize,
    deserialise: Option<&Result<String, String>>,
    notes: &[String],
) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let budget = BUILD_BUDGET.as_secs();
    let runs_budget = GENERATION_BUDGET.as_secs();
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "# Generation benchmark\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench-codegen` on a machine with {cores} cores ({rustc}). \
         Generation: wall time and peak RSS, median of {runs} runs per tool (or more where a round of \
         an input's runs takes under {runs_budget} s: as many as fill it, up to \
         {MAX_GENERATION_RUNS}; the column gives the count), tools alternating; \
         ours is the release build of `xtask codegen`, writing a standalone crate. Instructions: \
         those of one generation, all threads and every process it starts (cargo-typify runs \
         rustfmt), as callgrind counts them (where valgrind is installed); unlike wall time on \
         a shared machine, the count is nearly the same on every run, but it does not show \
         that ours renders on as many threads as there are cores. Build: the \
         crate-only clean build of the generated crate (`CARGO_INCREMENTAL=0`, dependencies \
         built first: for ploidy's crates these include its runtime crate `ploidy-util`, for \
         ours the runtime crate written beside the models), median of {builds} builds per \
         crate, or more where a round of an input's builds takes under {budget} s: as many as fill \
         {budget} s, up to {MAX_BUILD_ROUNDS} (the column gives the count), \
         tools alternating. Ratios are ours / peer: below 1 is faster or smaller.\n"
    );
    let _ = writeln!(
        out,
        "| input | tool | generation | instructions | peak RSS | lines of Rust | crate build | build peak RSS |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    let mut ratios = String::new();
    let _ = writeln!(
        ratios,
        "| input | peer | generation | instructions | peak RSS | lines | crate build |\n|---|---|---|---|---|---|---|"
    );
    for (input, rows) in results {
        let mut figures = Vec::new();
        for (tool, row) in rows {
            let (wall, rss) = medians(&row.generation);
            let (build, build_rss) = match &row.build {
                Some(Ok(costs)) => medians(costs),
                _ => (f64::NAN, f64::NAN),
            };
            let generation = match &row.failure {
                Some(e) => format!("failed: {}", e.replace('|', "/")),
                None => format!("{wall:.3} s ({} runs)", row.generation.len()),
            };
            let build_text = match &row.build {
                Some(Ok(costs)) if !costs.is_empty() => {
                    format!("{build:.2} s ({} builds)", costs.len())
                }
                Some(Ok(_)) => "–".into(),
                Some(Err(e)) => format!("failed: {}", e.replace('|', "/")),
                None => "–".into(),
            };
            let rss_text = if rss.is_finite() {
                format!("{rss:.0} MiB")
            } else {
                "–".into()
            };
            let build_rss_text = if build_rss.is_finite() {
                format!("{build_rss:.0} MiB")
            } else {
                "–".into()
            };
            let (instructions, counted) = match &row.instructions {
                Some(Ok(n)) => (format!("{:.1} M", *n as f64 / 1e6), *n as f64),
                Some(Err(e)) => (format!("failed: {}", e.replace('|', "/")), f64::NAN),
                None => ("–".into(), f64::NAN),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {generation} | {instructions} | {rss_text} | {} | {build_text} | {build_rss_text} |",
                input.name,
                tool.name(),
                row.lines
            );
            figures.push((*tool, wall, counted, rss, row.lines as f64, build));
        }
        if let [(_, w, i, r, l, b), (peer, pw, pi, pr, pl, pb)] = figures.as_slice() {
            let _ = writeln!(
                ratios,
                "| {} | {} | {} | {} | {} | {} | {} |",
                input.name,
                peer.name(),
                ratio(*w, *pw),
                ratio(*i, *pi),
                ratio(*r, *pr),
                ratio(*l, *pl),
                ratio(*b, *pb)
            );
        }
    }
    let _ = writeln!(out, "\n## Ours / peer\n\n{ratios}");
    let _ = writeln!(out, "{}", group_table(results));
    if let Some(table) = profile_table(results) {
        let _ = writeln!(out, "{table}");
    }
    let _ = writeln!(out, "{}", stage_table(results));
    if let Some(table) = deserialise {
        let _ = writeln!(
            out,
            "## Deserialisation, generated types / derive twin\n\n\
             From `cargo bench -p api-tests --bench deserialize`: each seed payload read into the \
             generated type (which keeps unknown properties and undeclared `null`s) and into a \
             plain `#[derive(Deserialize)]` twin of the same shape (which drops them), in paired \
             batches of about 2 ms, alternating; median time per parse, and the median over the \
             rounds of the paired ratio twin / generated (above 1: the generated type reads \
             faster), with its quartiles; and, where valgrind is installed, the instructions \
             per parse callgrind counts for each side (the same on every run, where time on a \
             shared machine is not).\n"
        );
        match table {
            Ok(table) => {
                let _ = writeln!(out, "{table}");
            }
            Err(why) => {
                let _ = writeln!(out, "Not measured: {why}\n");
            }
        }
    }
    for note in notes {
        let _ = writeln!(out, "- {note}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_runs_get_more_rounds() {
        let secs = Duration::from_secs_f64;
        let builds =
            |asked, first: &[Duration]| rounds(asked, first, BUILD_BUDGET, MAX_BUILD_ROUNDS);
        // Small crates: a minute would be 25 rounds; eleven at most.
        assert_eq!(builds(3, &[secs(0.7), secs(1.7)]), 11);
        // Chatwoot's document: 13.3 s a round, five fill the minute.
        assert_eq!(builds(3, &[secs(4.4), secs(8.9)]), 5);
        // Stripe's: a round is over the minute; what was asked for.
        assert_eq!(builds(3, &[secs(33.0), secs(72.5)]), 3);
        assert_eq!(builds(15, &[secs(0.7), secs(1.7)]), 15);
        // No crate built, so there is nothing to repeat.
        assert_eq!(builds(3, &[]), 3);
        let runs = |first: &[Duration]| rounds(7, first, GENERATION_BUDGET, MAX_GENERATION_RUNS);
        // A small document: 8 ms and 16 ms, at most 51 runs.
        assert_eq!(runs(&[secs(0.008), secs(0.016)]), 51);
        // Chatwoot's document: 0.28 s a round.
        assert_eq!(runs(&[secs(0.072), secs(0.204)]), 8);
        // Stripe's: the runs asked for.
        assert_eq!(runs(&[secs(0.38), secs(1.91)]), 7);
    }

    #[test]
    fn the_typical_group_is_the_median_by_operations() {
        let manifest =
            "# `m`: every group below.\nm = [\"m-a\", \"m-b\"]\n# 1 operation.\nm-a = []\n\
                        # Internal: on when any group of `m` is.\n_m-any-group = []\n\
                        # 12 operations.\nm-b = [\"_m-any-group\"]\n\
                        # 3 operations and 2 events.\nm-webhooks = [\"_m-any-group\"]\n\
                        # 2 events.\nm-x = []\n";
        assert_eq!(typical_group(manifest), Some(("m-webhooks".into(), 3)));
        assert_eq!(typical_group("[features]\ndefault = []\n"), None);
    }

    #[test]
    fn a_failing_tool_is_quoted_where_it_names_the_error() {
        assert_eq!(
            said(b"working\nerror: no such file\nbye\n"),
            "error: no such file"
        );
        assert_eq!(
            said(b"Error:\n  bad schema at /a\n"),
            "Error: bad schema at /a"
        );
        assert_eq!(said(b"one\ntwo\n\n"), "two");
        assert_eq!(said(b""), "no output");
    }

    #[test]
    fn instructions_are_told_apart_by_what_they_are_spent_on() {
        const LIBC: &str = "/usr/lib/x86_64-linux-gnu/libc.so.6";
        const BENCH: &str = "/work/target/release/deps/deserialize-5a9c035a23eac889";
        let cases = [
            // The C library's, with its debug information and without.
            ("./malloc/./malloc/malloc.c:_int_malloc", LIBC, "allocator"),
            ("./malloc/./malloc/arena.c:free", LIBC, "allocator"),
            ("???:_int_free", LIBC, "allocator"),
            ("???:malloc", LIBC, "allocator"),
            (
                "./string/../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S:__memcpy_avx",
                LIBC,
                "scanning the text",
            ),
            ("???:__memcmp_avx2_movbe", LIBC, "scanning the text"),
            ("???:clock_gettime", LIBC, "visitors and the rest"),
            // Rust's.
            ("???:__rustc::__rdl_alloc", BENCH, "allocator"),
            ("???:alloc::raw_vec::RawVecInner<A>::finish_grow", BENCH, "allocator"),
            ("???:api::freebies::Offer::deserialize", BENCH, "visitors and the rest"),
            ("???:core::ptr::drop_in_place<Option<a::Stamp>>", BENCH, "dropping"),
            ("???:serde_json::read::SliceRead::skip_to_escape", BENCH, "scanning the text"),
            (
                "???:<&mut serde_json::de::Deserializer<R> as serde::Deserializer>::deserialize_map",
                BENCH,
                "visitors and the rest",
            ),
        ];
        for (function, object, expected) in cases {
            let cost = callgrind::Cost {
                function: function.into(),
                object: object.into(),
                instructions: 1,
            };
            assert_eq!(KINDS[kind(&cost)], expected, "{function}");
        }
    }
}
