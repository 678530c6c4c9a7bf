//! The write stage replaces the output folder as a whole, or not at all, and only when it is ours.

use codegen::write::{write_atomically, Files, MANIFEST_MARKER};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("write")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Files of a generated crate: `Cargo.toml` carries the generator's marker.
fn files(entries: &[(&str, &str)]) -> Files {
    let file = |(path, text): &(&str, &str)| {
        let text = if *path == "Cargo.toml" {
            manifest(text)
        } else {
            (*text).to_owned()
        };
        ((*path).to_owned(), text)
    };
    Files(entries.iter().map(file).collect::<BTreeMap<_, _>>())
}

fn manifest(version: &str) -> String {
    format!("{MANIFEST_MARKER}\n# {version}\n")
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_run_that_fails_half_way_leaves_the_previous_output_intact() {
    let dir = scratch("interrupted");
    let out = dir.join("generated");
    write_atomically(
        &files(&[("Cargo.toml", "old"), ("src/lib.rs", "// old\n")]),
        &out,
    )
    .expect("first run");
    // The second run fails after it has written some files: `src/lib.rs` is written, then
    // `src/lib.rs/extra.rs` cannot be (a file stands where its folder would be).
    let broken = files(&[
        ("Cargo.toml", "new"),
        ("src/lib.rs", "// new\n"),
        ("src/lib.rs/extra.rs", "x"),
    ]);
    let err = write_atomically(&broken, &out).expect_err("cannot be written");
    assert!(
        err.to_string().contains("extra.rs") || err.to_string().contains("lib.rs"),
        "{err}"
    );
    assert_eq!(read(&out.join("Cargo.toml")), manifest("old"));
    assert_eq!(read(&out.join("src/lib.rs")), "// old\n");
    assert_eq!(
        listing(&dir),
        ["generated"],
        "no staging folder is left behind"
    );
}

#[test]
fn a_successful_run_replaces_the_output_exactly() {
    let dir = scratch("replace");
    let out = dir.join("generated");
    write_atomically(
        &files(&[("Cargo.toml", "old"), ("src/stale.rs", "gone")]),
        &out,
    )
    .expect("first run");
    write_atomically(
        &files(&[("Cargo.toml", "new"), ("src/lib.rs", "// new\n")]),
        &out,
    )
    .expect("second run");
    assert_eq!(
        listing(&out.join("src")),
        ["lib.rs"],
        "stale files are removed"
    );
    assert_eq!(read(&out.join("Cargo.toml")), manifest("new"));
    assert_eq!(listing(&dir), ["generated"]);
}

#[test]
fn the_build_folder_is_kept_and_a_foreign_folder_is_refused() {
    let dir = scratch("foreign");
    let out = dir.join("generated");
    write_atomically(&files(&[("Cargo.toml", "v1")]), &out).expect("first run");
    std::fs::create_dir_all(out.join("target/debug")).expect("a build folder");
    std::fs::write(out.join("target/debug/cache"), "built").expect("written");
    write_atomically(&files(&[("Cargo.toml", "v2")]), &out).expect("second run");
    assert_eq!(read(&out.join("target/debug/cache")), "built");

    let project = dir.join("my-project");
    std::fs::create_dir_all(project.join("src")).expect("a project");
    std::fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").expect("written");
    let err = write_atomically(&files(&[("Cargo.toml", "v1")]), &project).expect_err("not ours");
    assert!(
        err.to_string().contains("not written by the generator"),
        "{err}"
    );
    assert_eq!(
        read(&project.join("Cargo.toml")),
        "[package]\nname = \"mine\"\n"
    );
}

#[test]
fn a_file_that_did_not_change_keeps_its_modification_time() {
    let dir = scratch("unchanged");
    let out = dir.join("generated");
    let modified = |rel: &str| {
        std::fs::metadata(out.join(rel))
            .and_then(|m| m.modified())
            .expect("a modification time")
    };
    write_atomically(
        &files(&[
            ("Cargo.toml", "1"),
            ("runtime/src/support.rs", "// the runtime\n"),
            ("src/lib.rs", "// models, first\n"),
        ]),
        &out,
    )
    .expect("first run");
    // Dated well in the past, so a rewrite could not keep the same time by chance.
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for rel in ["runtime/src/support.rs", "src/lib.rs"] {
        std::fs::File::options()
            .write(true)
            .open(out.join(rel))
            .and_then(|f| f.set_modified(past))
            .expect("date the file");
    }
    // As the file system keeps it (some round the time).
    let past = modified("runtime/src/support.rs");
    write_atomically(
        &files(&[
            ("Cargo.toml", "1"),
            ("runtime/src/support.rs", "// the runtime\n"),
            ("src/lib.rs", "// models, second\n"),
        ]),
        &out,
    )
    .expect("second run");
    // cargo goes by modification times: the runtime crate is not rebuilt, the models are.
    assert_eq!(modified("runtime/src/support.rs"), past);
    assert!(modified("src/lib.rs") > past);
    assert_eq!(read(&out.join("src/lib.rs")), "// models, second\n");
}
