//! `cargo xtask wire-check`: every operation of a document, held against independent validators.
//! The crate is generated, and a driver built beside it makes each operation's request through the
//! generated builder with the operation's example values (the same code as its docs' usage
//! example), required parameters only and then every parameter and body field. openapi-core
//! validates each request against the document; Prism, a mock server started from the document,
//! answers each (its example, an answer made from the schema, and every other documented status),
//! openapi-core validates each answer, and the driver decodes it with the generated types. An
//! answer that does not decode is ours to fix only when openapi-core finds it valid; otherwise the
//! document contradicts itself, and the defect is listed.

use crate::{cargo, dirs_cache, npm_install, pip_install, workspace_root};
use codegen::emit::examples::Call;
use codegen::ir::{self, Fill};
use codegen::{Config, CrateSettings};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

pub const USAGE: &str = "cargo xtask wire-check [--spec FILE|DIR] [--only OPID]... [--seed N] [--prism-wait S]
                        | --validator-defects

  --spec FILE|DIR  the API description, or a folder of them (default: the shipped schemas/); the
                   crate and its driver go to target/wire-check/
  --only OPID      only this operation (by operationId; repeatable)
  --seed N         the seed of Prism's answers made from the schema (default 1)
  --prism-wait S   how long Prism may read a document before it listens (default 300); past it,
                   that document's answers are not checked, and the run says so
  --validator-defects
                   alone: run the small reproductions of the openapi-core defects the README lists
                   (xtask/oracles/validator_defects.py); fails once one no longer reproduces
  --tamper FILE OLD NEW
                   replace OLD with NEW in FILE of the generated crate before the driver is built:
                   how xtask/tests/wire_check.rs shows that the check fails on a broken crate

  installs openapi-core (PyPI) and Prism (npm), pinned, into ~/.cache/msgapi-codegen/oracles on
  first use; prints one line per failure, then
  `wire-check: R of N requests valid, D of M answers decoded, X validator disagreements, Y document defects`;
  exits non-zero when a request is invalid or a valid answer does not decode";

const PYTHON_PACKAGES: &[&str] = &["openapi-core==0.23.1"];
const NPM_PACKAGES: &[&str] = &["@stoplight/prism-cli@5.14.2"];
/// The models crate's package name, and its name in Rust.
const MODELS: (&str, &str) = ("wire-check-models", "wire_check_models");

struct Options {
    spec: PathBuf,
    only: BTreeSet<String>,
    seed: u64,
    /// A file of the generated crate, a text in it, and what replaces it.
    tamper: Option<(PathBuf, String, String)>,
    /// How long Prism may take to read a document before it listens.
    prism_wait: Duration,
}

fn options(args: &[String]) -> Option<Options> {
    let mut options = Options {
        spec: workspace_root().join("schemas"),
        only: BTreeSet::new(),
        seed: 1,
        tamper: None,
        prism_wait: Duration::from_secs(300),
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--tamper" => {
                let (old, new) = (args.next()?, args.next()?);
                options.tamper = Some((PathBuf::from(value), old.clone(), new.clone()));
            }
            "--spec" => options.spec = PathBuf::from(value),
            "--only" => {
                options.only.insert(value.clone());
            }
            "--seed" => options.seed = value.parse().ok()?,
            "--prism-wait" => options.prism_wait = Duration::from_secs(value.parse().ok()?),
            _ => return None,
        }
    }
    Some(options)
}

pub fn run(args: &[String]) -> ExitCode {
    if args == ["--validator-defects"] {
        return validator_defects();
    }
    let Some(options) = options(args) else {
        eprintln!("usage: {USAGE}");
        return ExitCode::from(2);
    };
    match check(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(why) => {
            eprintln!("wire-check: {why}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the small reproductions of the openapi-core defects the README lists
/// (`xtask/oracles/validator_defects.py`); fails once one no longer reproduces.
fn validator_defects() -> ExitCode {
    let oracles = dirs_cache().join("msgapi-codegen/oracles");
    let (python, prism) = (oracles.join("wire-python"), oracles.join("prism"));
    if let Err(why) = install_oracles(&python, &prism) {
        eprintln!("wire-check: {why}");
        return ExitCode::FAILURE;
    }
    let script = workspace_root().join("xtask/oracles/validator_defects.py");
    let status = Command::new("python3")
        .arg(script)
        .env("PYTHONPATH", &python)
        .env("PRISM", prism.join("node_modules/.bin/prism"))
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

/// One request the driver built, as it printed it.
struct Built {
    line: Value,
}

impl Built {
    fn key(&self) -> String {
        format!(
            "{} ({} parameters)",
            self.line["operation"].as_str().unwrap_or_default(),
            self.line["fill"].as_str().unwrap_or_default()
        )
    }
}

/// Where a run keeps its files, and the installed validators.
struct Run {
    /// `target/wire-check/<document>`: the crate, the driver, the JSON lines between the steps.
    dir: PathBuf,
    python: PathBuf,
    prism: PathBuf,
    script: PathBuf,
}

impl Run {
    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `xtask/oracles/wire_check.py <command> <input> <output> <extra…>`; the output's lines.
    fn python(
        &self,
        command: &str,
        input: &str,
        output: &str,
        extra: &[&str],
    ) -> Result<Vec<Value>, String> {
        python_step(
            &self.python,
            &self.script,
            command,
            &self.file(input),
            &self.file(output),
            extra,
        )?;
        read_lines(&self.file(output))
    }
}

fn check(options: &Options) -> Result<bool, String> {
    let root = workspace_root();
    let work = root.join("target/wire-check");
    let oracles = dirs_cache().join("msgapi-codegen/oracles");
    let run = Run {
        dir: work.join(run_name(&options.spec)),
        python: oracles.join("wire-python"),
        prism: oracles.join("prism"),
        script: root.join("xtask/oracles/wire_check.py"),
    };
    let generated = generate(options, &run.dir.join("models"))?;
    let specs = oracle_documents(&spec_files(&options.spec, &generated.ir), &run.dir)?;
    let program = build_driver(&generated.ir, &specs, options, &run.dir, &work)?;
    run_to_file(
        Command::new(&program).arg("requests"),
        &run.file("requests.jsonl"),
    )?;
    let built: Vec<Built> = read_lines(&run.file("requests.jsonl"))?
        .into_iter()
        .map(|line| Built { line })
        .collect();

    let started = Instant::now();
    install_oracles(&run.python, &run.prism)?;
    eprintln!(
        "wire-check: openapi-core and Prism ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let verdicts = run.python("requests", "requests.jsonl", "request-verdicts.jsonl", &[])?;
    let mut answers = prism_answers(&run, &specs, options)?;
    // Answers made from each documented JSON answer's schema by the generator's own sampler:
    // openapi-core judges them, so they hold the decoders to the document where Prism cannot.
    write_lines(&run.file("samples.jsonl"), &samples(&generated.ir, &built))?;
    answers.extend(run.python("samples", "samples.jsonl", "sampled.jsonl", &[])?);
    write_lines(&run.file("answers.jsonl"), &answers)?;
    let answers_in = std::fs::File::open(run.file("answers.jsonl")).map_err(|e| e.to_string())?;
    run_to_file(
        Command::new(&program).arg("decode").stdin(answers_in),
        &run.file("decoded.jsonl"),
    )?;
    let decoded = read_lines(&run.file("decoded.jsonl"))?;
    Ok(report(&built, &verdicts, &answers, &decoded))
}

/// The folder of a document's run: `discord-openapi` (documents are often all called `openapi`).
fn run_name(spec: &Path) -> String {
    let parts: Vec<String> = spec
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts
        .iter()
        .rev()
        .map(|part| part.split('.').next().unwrap_or(part))
        .collect::<Vec<_>>()
        .join("-")
}

/// Generates the crate (with an example of every JSON answer) into `out`, tampered with as
/// `--tamper` says.
fn generate(options: &Options, out: &Path) -> Result<codegen::Generated, String> {
    let mut config = Config::new(&options.spec);
    config.crate_settings = CrateSettings {
        name: MODELS.0.into(),
        standalone: true,
    };
    config.answer_examples = true;
    let generated = config.generate().map_err(|f| f.to_string())?;
    codegen::write::write_atomically(&generated.files, out).map_err(|f| f.to_string())?;
    if let Some((file, old, new)) = &options.tamper {
        let path = out.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !text.contains(old.as_str()) {
            return Err(format!(
                "--tamper: {} does not hold {old:?}",
                path.display()
            ));
        }
        write(&path, &text.replace(old.as_str(), new))?;
        eprintln!(
            "wire-check: tampered with {}: {old:?} -> {new:?}",
            path.display()
        );
    }
    Ok(generated)
}

/// Writes and builds the driver beside the crate; the program.
fn build_driver(
    krate: &ir::Crate,
    specs: &[PathBuf],
    options: &Options,
    dir: &Path,
    work: &Path,
) -> Result<PathBuf, String> {
    let driver = driver_source(krate, specs, &options.only)?;
    write_driver(&dir.join("driver"), &driver)?;
    eprintln!(
        "wire-check: building the driver ({} operations)",
        driver.operations
    );
    let status = Command::new(cargo())
        .args(["build", "--quiet", "--offline", "--manifest-path"])
        .arg(dir.join("driver/Cargo.toml"))
        .env("CARGO_TARGET_DIR", work.join("target"))
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("the driver did not build (see above)".into());
    }
    Ok(work.join("target/debug/wire-check-driver"))
}

/// Prism's answers to every request, a server per document.
fn prism_answers(run: &Run, specs: &[PathBuf], options: &Options) -> Result<Vec<Value>, String> {
    let mut answers = Vec::new();
    for spec in specs.iter().collect::<BTreeSet<_>>() {
        let log = run.file("prism.log");
        let mut server = match Prism::start(
            &run.prism,
            spec,
            options.seed,
            &log,
            options.prism_wait,
        ) {
            Ok(server) => server,
            // Prism's own limit (on Stripe's document it reads for many minutes): the document's
            // requests and sampled answers are still checked, and the run says Prism's are not.
            Err(why) => {
                println!(
                    "wire-check: no answers from Prism for {}: {why} (Prism's limit; --prism-wait S); the sampled answers are checked",
                    spec.display()
                );
                continue;
            }
        };
        let (port, seed) = (server.port.to_string(), options.seed.to_string());
        let spec_text = spec.to_string_lossy().into_owned();
        let extra = ["--spec", &spec_text, "--port", &port, "--seed", &seed];
        let result = run.python("exchange", "requests.jsonl", "answers-part.jsonl", &extra);
        server.stop();
        answers.extend(result?);
    }
    Ok(answers)
}

/// An example of each documented JSON answer of every operation the driver built a request of,
/// with that request (its required parameters') to find the operation by: the status (a range as
/// its first code; `default` is left out, having none of its own), the body.
fn samples(krate: &ir::Crate, built: &[Built]) -> Vec<Value> {
    // Each operation's request with its required parameters, by the operation's key.
    let required: std::collections::HashMap<&str, usize> = built
        .iter()
        .enumerate()
        .filter(|(_, b)| b.line["fill"] == json!("required") && b.line.get("error").is_none())
        .filter_map(|(i, b)| Some((b.line["operation"].as_str()?, i)))
        .collect();
    let mut out = Vec::new();
    for module in &krate.modules {
        for op in &module.operations {
            let key = format!("{}/{}", module.name, op.id);
            let Some(&request) = required.get(key.as_str()) else {
                continue;
            };
            for answer in op.responses.iter().chain(&op.errors) {
                let Some(example) = &answer.example else {
                    continue;
                };
                let status = match answer.status.as_bytes() {
                    [d, b'X', b'X'] => format!("{}00", *d as char),
                    _ if answer.status == "default" => continue,
                    _ => answer.status.clone(),
                };
                out.push(json!({
                    "request": request,
                    "operation": key,
                    "status": status,
                    "body": example.to_string(),
                }));
            }
        }
    }
    out
}

/// Each module's OpenAPI file, by module (the document itself for a single file).
fn spec_files(spec: &Path, krate: &ir::Crate) -> Vec<PathBuf> {
    let absolute = std::fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    krate
        .modules
        .iter()
        .map(|m| match (&m.api, absolute.is_dir()) {
            (Some(api), true) => absolute.join(&api.origin),
            _ => absolute.clone(),
        })
        .collect()
}

/// The documents the validators read: each file as it is, a Swagger 2.0 one converted to
/// OpenAPI 3.0 by npm's swagger2openapi (openapi-core reads 3.0 and 3.1 only), into `dir`.
fn oracle_documents(specs: &[PathBuf], dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let swagger2 = match serde_json::from_str::<Value>(&text) {
            Ok(document) => document.get("swagger").is_some(),
            Err(_) => text.lines().any(|l| l.starts_with("swagger:")),
        };
        if !swagger2 {
            out.push(spec.clone());
            continue;
        }
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
        let converted = dir.join(format!("{stem}.openapi3.json"));
        let converter = crate::swagger2_twins::converter()?;
        crate::swagger2_twins::convert(&converter, spec, &converted)?;
        eprintln!(
            "wire-check: {} is Swagger 2.0; the validators read {}",
            spec.display(),
            converted.display()
        );
        out.push(converted);
    }
    Ok(out)
}

/// The driver's `main.rs`, and how many operations it calls.
struct Driver {
    source: String,
    operations: usize,
}

/// The driver: `requests` prints each operation's requests as JSON lines (built with the example
/// values, required parameters only, then all); `decode` reads answers as JSON lines and says of
/// each whether the operation's `decode` read it.
fn driver_source(
    krate: &ir::Crate,
    specs: &[PathBuf],
    only: &BTreeSet<String>,
) -> Result<Driver, String> {
    let mut call = Call::new(krate);
    let mut functions = String::new();
    let mut requests = String::new();
    let mut decoders = String::new();
    let mut operations = 0;
    for (m, module) in krate.modules.iter().enumerate() {
        let api = module.api.clone().unwrap_or_default();
        let base = codegen::emit::examples::server(&api);
        for (o, op) in module.operations.iter().enumerate() {
            if !only.is_empty() && !only.contains(&op.id) {
                continue;
            }
            operations += 1;
            let statuses: Vec<&str> = op
                .responses
                .iter()
                .chain(&op.errors)
                .map(|s| s.status.as_str())
                .filter(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
                .collect();
            let key = format!("{}/{}", module.name, op.id);
            let api_expr = call.api(module, op).map_err(|e| e.name)?;
            for fill in [Fill::Required, Fill::All] {
                let build = call.build(module, op, fill).map_err(|e| e.name)?;
                let name = format!("m{m}_o{o}_{}", fill_name(fill));
                let _ = writeln!(
                    functions,
                    "fn {name}() -> Built {{\n    let op = {build};\n    Ok(op.to_request(&{api_expr})?)\n}}\n"
                );
                let _ = writeln!(
                    requests,
                    "    emit(&mut out, [{key:?}, {:?}, {:?}, {base:?}, {:?}], &{statuses:?}, {name}());",
                    fill_name(fill),
                    specs[m].to_string_lossy(),
                    op.path,
                );
            }
            let op_name = &op.name;
            let _ = writeln!(
                decoders,
                "        {key:?} => verdict({}::{op_name}::decode(status, &headers, &body)),",
                module.name
            );
        }
    }
    let uses: Vec<&str> = call.uses().filter(|u| *u != "request").collect();
    let models = MODELS.1;
    let source = format!(
        r#"//! Written by `cargo xtask wire-check`: builds every operation's request with its example
//! values (`requests`), and reads answers with the generated types (`decode`).
#![allow(unused_imports, clippy::all)]

use std::io::{{BufRead, Write}};
use {models}::request::{{self, Operation as _}};
use {models}::{{{uses}}};

type Built = Result<request::http::Request<Vec<u8>>, Box<dyn std::error::Error>>;

fn main() {{
    match std::env::args().nth(1).as_deref() {{
        Some("requests") => requests(),
        Some("decode") => decode(),
        _ => std::process::exit(2),
    }}
}}

/// `about`: the operation's key, the fill, the document, the server and the path template.
fn emit(out: &mut impl Write, about: [&str; 5], statuses: &[&str], built: Built) {{
    let [key, fill, spec, base, path] = about;
    let line = match built {{
        Ok(request) => serde_json::json!({{
            "operation": key, "fill": fill, "spec": spec, "base": base, "path": path, "statuses": statuses,
            "method": request.method().as_str(),
            "url": request.uri().to_string(),
            "headers": request.headers().iter()
                .map(|(k, v)| [k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()])
                .collect::<Vec<_>>(),
            "body": String::from_utf8_lossy(request.body()),
        }}),
        Err(error) => serde_json::json!({{
            "operation": key, "fill": fill, "spec": spec, "base": base, "path": path, "statuses": statuses,
            "error": error.to_string(),
        }}),
    }};
    let _ = writeln!(out, "{{line}}");
}}

fn requests() {{
    let mut out = std::io::stdout().lock();
{requests}}}

fn verdict<T, E: std::fmt::Debug>(result: Result<T, request::ApiError<E>>) -> serde_json::Value {{
    match result {{
        Ok(_) | Err(request::ApiError::Status {{ .. }}) => serde_json::json!({{"decoded": true}}),
        Err(error) => serde_json::json!({{"decoded": false, "error": error.to_string()}}),
    }}
}}

fn decode() {{
    let mut out = std::io::stdout().lock();
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {{
        let Ok(line) = line else {{ break }};
        let answer: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let key = answer["operation"].as_str().unwrap_or_default();
        let Some(status) = answer["status"].as_u64() else {{
            let _ = writeln!(out, "{{}}", serde_json::json!({{"decoded": null}}));
            continue;
        }};
        let status = status as u16;
        let mut headers = request::http::HeaderMap::new();
        for pair in answer["headers"].as_array().into_iter().flatten() {{
            let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {{ continue }};
            if let (Ok(name), Ok(value)) = (
                request::http::HeaderName::from_bytes(name.as_bytes()),
                request::http::HeaderValue::from_str(value),
            ) {{
                headers.append(name, value);
            }}
        }}
        let body = answer["body"].as_str().unwrap_or_default().as_bytes().to_vec();
        let verdict = match key {{
{decoders}            _ => serde_json::json!({{"decoded": null}}),
        }};
        let _ = writeln!(out, "{{verdict}}");
    }}
}}

{functions}"#,
        uses = uses.join(", "),
    );
    Ok(Driver { source, operations })
}

fn fill_name(fill: Fill) -> &'static str {
    match fill {
        Fill::Required => "required",
        Fill::All => "all",
    }
}

fn write_driver(dir: &Path, driver: &Driver) -> Result<(), String> {
    let manifest = format!(
        "[package]\nname = \"wire-check-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{} = {{ path = \"../models\" }}\nserde_json = \"1\"\n\n[workspace]\n",
        MODELS.0
    );
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/main.rs"), &driver.source)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    // Unchanged files keep their time, so cargo rebuilds nothing it need not.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run_to_file(command: &mut Command, out: &Path) -> Result<(), String> {
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let status = command
        .stdout(file)
        .status()
        .map_err(|e| format!("{:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} exited with {status}", command.get_program()))
    }
}

fn read_lines(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("{}: {e}", path.display())))
        .collect()
}

fn write_lines(path: &Path, lines: &[Value]) -> Result<(), String> {
    let mut text = String::new();
    for line in lines {
        let _ = writeln!(text, "{line}");
    }
    write(path, &text)
}

fn python_step(
    python: &Path,
    script: &Path,
    command: &str,
    input: &Path,
    output: &Path,
    extra: &[&str],
) -> Result<(), String> {
    let status = Command::new("python3")
        .arg(script)
        .arg(command)
        .arg(input)
        .arg(output)
        .args(extra)
        .env("PYTHONPATH", python)
        .status()
        .map_err(|e| format!("python3: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} {command} exited with {status}",
            script.display()
        ))
    }
}

fn install_oracles(python: &Path, prism: &Path) -> Result<(), String> {
    pip_install(python, PYTHON_PACKAGES)?;
    npm_install(prism, NPM_PACKAGES)
}

/// A Prism mock server on a loopback port, stopped when dropped.
struct Prism {
    child: Child,
    port: u16,
}

impl Prism {
    fn start(
        install: &Path,
        spec: &Path,
        seed: u64,
        log: &Path,
        wait: Duration,
    ) -> Result<Prism, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(install.join("node_modules/.bin/prism"))
            .args(["mock", "--errors", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .arg("--seed")
            .arg(seed.to_string())
            .arg(spec)
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("prism: {e}"))?;
        let mut server = Prism { child, port };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "Prism exited with {status} on {}: {}",
                    spec.display(),
                    tail(log)
                ));
            }
            if started.elapsed() > wait {
                server.stop();
                return Err(format!(
                    "Prism did not listen within {} s: {}",
                    wait.as_secs(),
                    tail(log)
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(server)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

fn tail(log: &Path) -> String {
    let Ok(file) = std::fs::File::open(log) else {
        return String::new();
    };
    let lines: Vec<String> = BufReader::new(file).lines().map_while(Result::ok).collect();
    lines[lines.len().saturating_sub(5)..].join(" / ")
}

/// Whose a shortfall is.
#[derive(Clone, Copy)]
enum Class {
    /// Ours to fix: the command fails.
    Ours,
    Disagreement,
    Defect,
    /// Prism gave no answer to read: not counted in M.
    Unanswered,
}

/// The counts of a run, and the line printed for each shortfall.
#[derive(Default)]
struct Tally {
    ours: usize,
    disagreements: usize,
    defects: usize,
    unanswered: usize,
}

impl Tally {
    fn note(&mut self, class: Class, line: String) {
        let (count, label) = match class {
            Class::Ours => (&mut self.ours, ""),
            Class::Disagreement => (&mut self.disagreements, "validator disagreement: "),
            Class::Defect => (&mut self.defects, "document defect: "),
            Class::Unanswered => (&mut self.unanswered, ""),
        };
        *count += 1;
        match line.split_once(": ") {
            Some((what, says)) => println!("{what}: {label}{says}"),
            None => println!("{label}{line}"),
        }
    }
}

/// What the request verdicts and the answer records say besides "valid" and "answered": the
/// record's key, whose it is, and what the line says.
const REQUEST_NOTES: [(&str, Class, &str); 2] = [
    (
        "validator_failed",
        Class::Disagreement,
        "openapi-core failed on the request",
    ),
    ("document_defect", Class::Defect, "no request can be valid"),
];
const ANSWER_NOTES: [(&str, Class, &str); 3] = [
    (
        "document_example_invalid",
        Class::Defect,
        "the document's example answer contradicts its schema (Prism)",
    ),
    (
        "prism_made_invalid",
        Class::Disagreement,
        "Prism made an answer its own check rejects",
    ),
    (
        "prism_failed",
        Class::Unanswered,
        "Prism could not answer (its defect; not counted)",
    ),
];

/// Prints a line per shortfall and the summary; whether nothing is ours to fix.
fn report(built: &[Built], verdicts: &[Value], answers: &[Value], decoded: &[Value]) -> bool {
    let mut tally = Tally::default();
    let mut valid = 0usize;
    'requests: for (request, verdict) in built.iter().zip(verdicts) {
        if verdict["valid"] == json!(true) {
            valid += 1;
            continue;
        }
        let (key, excerpt) = (request.key(), excerpt(&request.line));
        for (field, class, says) in REQUEST_NOTES {
            if let Some(found) = verdict.get(field) {
                tally.note(class, format!("{key}: {says}: {} | {excerpt}", join(found)));
                continue 'requests;
            }
        }
        let errors = join(&verdict["errors"]);
        tally.note(
            Class::Ours,
            format!("{key}: request invalid: {errors} | {excerpt}"),
        );
    }
    let (mut answered, mut read) = (0, 0);
    'answers: for (answer, decoded) in answers.iter().zip(decoded) {
        let index = answer["request"].as_u64().unwrap_or(u64::MAX) as usize;
        let Some(request) = built.get(index) else {
            continue;
        };
        let what = format!(
            "{}, {}",
            request.key(),
            answer["variant"].as_str().unwrap_or("")
        );
        if let Some(error) = answer["transport"].as_str() {
            tally.note(
                Class::Ours,
                format!("{what}: no answer from Prism: {error}"),
            );
            continue;
        }
        if let Some(refused) = answer.get("prism_refused") {
            // A request openapi-core refused too is counted above.
            if verdicts
                .get(index)
                .is_some_and(|v| v["valid"] == json!(true))
            {
                tally.note(
                    Class::Disagreement,
                    format!(
                        "{what}: Prism refused a request openapi-core accepts: {} | {}",
                        join(refused),
                        excerpt(&request.line)
                    ),
                );
            }
            continue;
        }
        for (field, class, says) in ANSWER_NOTES {
            if let Some(found) = answer.get(field) {
                tally.note(class, format!("{what}: {says}: {}", join(found)));
                continue 'answers;
            }
        }
        let status = answer["status"].as_u64().unwrap_or_default();
        if let Some(asked) = answer["asked"]
            .as_str()
            .filter(|a| *a != status.to_string())
        {
            let line = format!("{what}: Prism answered {status}, not {asked}; not counted");
            tally.note(Class::Unanswered, line);
            continue;
        }
        if answer["variant"] == json!("sampled") && answer["answer_valid"] != json!(true) {
            // The sampler's own answer that openapi-core refuses holds nothing to the decoder.
            let errors = join(&answer["answer_errors"]);
            let line = format!("{what}: the sampled answer is not valid ({errors}); not counted");
            tally.note(Class::Unanswered, line);
            continue;
        }
        answered += 1;
        if decoded["decoded"] == json!(true) {
            read += 1;
            continue;
        }
        let body = body_excerpt(&answer["body"]);
        let error = decoded["error"].as_str().unwrap_or("no decoder");
        let errors = join(&answer["answer_errors"]);
        if answer["answer_valid"] == json!(true) {
            let line = format!("{what}: answer {status} valid but not decoded: {error} | {body}");
            tally.note(Class::Ours, line);
        } else if prism_left_a_cycle(&answer["body"]) {
            let line = format!(
                "{what}: Prism made an answer the document rejects, a recursive schema left as \
                 `{{\"$ref\": null}}` ({errors}); not decoded: {error}"
            );
            tally.note(Class::Disagreement, line);
        } else {
            let line = format!(
                "{what}: answer {status} contradicts the document ({errors}); not decoded: {error} | {body}"
            );
            tally.note(Class::Defect, line);
        }
    }
    if tally.unanswered > 0 {
        println!(
            "wire-check: {} answers not counted: Prism could not give them as asked, or the sampler's are not valid (listed above)",
            tally.unanswered
        );
    }
    println!(
        "wire-check: {valid} of {} requests valid, {read} of {answered} answers decoded, \
         {} validator disagreements, {} document defects",
        built.len(),
        tally.disagreements,
        tally.defects
    );
    tally.ours == 0
}

/// Whether an answer holds `"$ref": null`: where Prism's generator met a schema that refers to
/// itself, it writes that instead of a value.
fn prism_left_a_cycle(body: &Value) -> bool {
    let Some(text) = body.as_str() else {
        return false;
    };
    fn holds(value: &Value) -> bool {
        match value {
            Value::Object(map) => map.get("$ref") == Some(&Value::Null) || map.values().any(holds),
            Value::Array(items) => items.iter().any(holds),
            _ => false,
        }
    }
    serde_json::from_str::<Value>(text).is_ok_and(|v| holds(&v))
}

fn join(list: &Value) -> String {
    list.as_array()
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// The start of a body, on one line.
fn body_excerpt(body: &Value) -> String {
    let text: String = body.as_str().unwrap_or("").chars().take(160).collect();
    text.replace('\r', "").replace('\n', "\\n")
}

/// The request's method, URL and the start of its body.
fn excerpt(line: &Value) -> String {
    let body = body_excerpt(&line["body"]);
    format!(
        "{} {} {body}",
        line["method"].as_str().unwrap_or(""),
        line["url"].as_str().unwrap_or("")
    )
}
