//! The write stage replaces the output folder as a whole, or not at all.

use codegen::write::{write_atomically, Files};
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

fn files(entries: &[(&str, &str)]) -> Files {
    Files(
        entries
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
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
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.toml")).expect("kept"),
        "old"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).expect("kept"),
        "// old\n"
    );
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
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.toml")).expect("written"),
        "new"
    );
    assert_eq!(listing(&dir), ["generated"]);
}
