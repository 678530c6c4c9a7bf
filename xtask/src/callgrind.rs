//! Counting instructions with callgrind, for `bench-codegen`: unlike wall time on a shared
//! machine, a count is nearly the same on every run (a multi-threaded program's moves a little
//! with how its threads share the work), so a ratio of counts holds still where a ratio of times
//! moves with the machine's load.

use std::path::Path;
use std::process::Command;

/// Whether valgrind is installed (else nothing is counted, and the report says so).
pub fn available() -> bool {
    Command::new("valgrind").arg("--version").output().is_ok()
}

/// One function's own instructions (its callees' not included), by callgrind's name for it:
/// `file:function`, as `callgrind_annotate` prints it, and the object file it is in.
pub struct Cost {
    pub function: String,
    pub object: String,
    pub instructions: u64,
}

/// A counted run: every function's own instructions, and their sum.
pub struct Profile {
    pub functions: Vec<Cost>,
    pub total: u64,
}

/// Runs `command` under callgrind (all its threads, serialised, and the processes it starts, such
/// as a formatter), its profiles written to `out.<pid>`, one a process. With `only`, instructions
/// are counted only inside the functions of those names (callgrind's `--toggle-collect`: counting
/// is on while one of them runs).
pub fn count(command: &Command, out: &Path, only: &[&str]) -> Result<Profile, String> {
    let dir = out.parent().unwrap_or(Path::new("."));
    let stem = out
        .file_name()
        .map(|n| format!("{}.", n.to_string_lossy()))
        .unwrap_or_default();
    let profiles = || -> Vec<std::path::PathBuf> {
        let mut found: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&stem))
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    };
    for stale in profiles() {
        let _ = std::fs::remove_file(stale);
    }
    let mut valgrind = Command::new("valgrind");
    valgrind
        .arg("--tool=callgrind")
        // Only the program's own messages, so that a failure quotes them.
        .arg("-q")
        .arg("--trace-children=yes")
        .arg(format!("--callgrind-out-file={}.%p", out.display()));
    if !only.is_empty() {
        valgrind.arg("--collect-atstart=no");
    }
    for function in only {
        valgrind.arg(format!("--toggle-collect={function}"));
    }
    succeeded("valgrind", crate::bench_codegen::wrapped(valgrind, command))?;
    let written = profiles();
    if written.is_empty() {
        return Err("callgrind wrote no profile".into());
    }
    let mut all = Profile {
        functions: Vec::new(),
        total: 0,
    };
    for profile in written {
        let mut annotate = Command::new("callgrind_annotate");
        // Every function, and no annotated source (whose lines would read as functions).
        annotate
            .args(["--threshold=100", "--auto=no"])
            .arg(&profile);
        let annotated = succeeded("callgrind_annotate", annotate)?;
        let one = parse(&String::from_utf8_lossy(&annotated.stdout))?;
        all.total += one.total;
        all.functions.extend(one.functions);
    }
    Ok(all)
}

/// Runs `command` (the tool `name`) to its end; what it printed, or what it said when it failed.
fn succeeded(name: &str, mut command: Command) -> Result<std::process::Output, String> {
    let ran = command
        .output()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    if ran.status.success() {
        Ok(ran)
    } else {
        Err(format!(
            "{name}: {}",
            crate::bench_codegen::said(&ran.stderr)
        ))
    }
}

/// `callgrind_annotate`'s listing: a line `41,160,508 (100.0%)  PROGRAM TOTALS`, then one line
/// per function, `2,305,348 ( 5.60%)  ./string/…/memmove.S:__memcpy_avx [/usr/lib/…/libc.so.6]`.
fn parse(listing: &str) -> Result<Profile, String> {
    let mut total = None;
    let mut functions = Vec::new();
    for line in listing.lines() {
        // A run that counted nothing (a `--toggle-collect` function never ran) shows `.`.
        if line.trim_start().starts_with(". ") && line.contains("PROGRAM TOTALS") {
            total = Some(0);
            continue;
        }
        let Some((count, rest)) = line.trim_start().split_once(' ') else {
            continue;
        };
        let Ok(instructions) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        // The share in parentheses, then the name, then the object file in brackets.
        let Some((_, name)) = rest.split_once(')') else {
            continue;
        };
        let name = name.trim();
        let (name, object) = match name.rsplit_once(" [") {
            Some((name, object)) => (name, object.trim_end_matches(']')),
            None => (name, ""),
        };
        if name.starts_with("PROGRAM TOTALS") {
            total = Some(instructions);
        } else {
            functions.push(Cost {
                function: name.to_owned(),
                object: object.to_owned(),
                instructions,
            });
        }
    }
    let total = total.ok_or("callgrind_annotate printed no total")?;
    Ok(Profile { functions, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_gives_its_total_and_each_function() {
        let listing = "\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
41,160,508 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                  file:function
--------------------------------------------------------------------------------
2,305,348 ( 5.60%)  ./string/memmove-vec.S:__memcpy_avx_unaligned_erms [/usr/lib/libc.so.6]
   12,864 ( 0.03%)  ???:<a::B<[u8; 4]> as c::D>::e [/work/target/release/xtask]
";
        let profile = parse(listing).expect("parses");
        assert_eq!(profile.total, 41_160_508);
        let names: Vec<(&str, &str, u64)> = profile
            .functions
            .iter()
            .map(|c| (c.function.as_str(), c.object.as_str(), c.instructions))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "./string/memmove-vec.S:__memcpy_avx_unaligned_erms",
                    "/usr/lib/libc.so.6",
                    2_305_348
                ),
                (
                    "???:<a::B<[u8; 4]> as c::D>::e",
                    "/work/target/release/xtask",
                    12_864
                ),
            ]
        );
        let calculated = parse("12 (100.0%)  PROGRAM TOTALS (calculated)\n").expect("parses");
        assert_eq!(calculated.total, 12);
    }

    #[test]
    fn a_run_that_counted_nothing_has_a_total_of_none() {
        let profile = parse(".           PROGRAM TOTALS (calculated)\n").expect("parses");
        assert_eq!((profile.total, profile.functions.len()), (0, 0));
    }

    #[test]
    fn a_listing_without_a_total_is_an_error() {
        assert!(parse("Ir\n12 (1.0%)  ???:f [x]\n").is_err());
    }
}
