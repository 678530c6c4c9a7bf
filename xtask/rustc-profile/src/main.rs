//! `rustc-profile PROFILE CRATE`: the self time of a rustc self-profile (`PROFILE` is the
//! `.mm_profdata` file, `-Z self-profile=DIR -Z self-profile-events=default,query-keys`), summed by
//! what it was spent on: the bodies of `CRATE`'s items by the trait (or kind) they implement, and
//! the crate-wide passes. Prints `seconds<TAB>category` lines, largest first.
//!
//! Each event's self time (its duration less its children's) goes to the outermost enclosing
//! event whose query key is an item of `CRATE` (type checking a body asks for layouts, trait
//! solving and more: all of it is that body's), else to the outermost event's label. The
//! profiler's own bookkeeping is left out.

use analyzeme::{EventPayload, ProfilingData, Timestamp};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [profile, krate] = args.as_slice() else {
        eprintln!("usage: rustc-profile PROFILE.mm_profdata CRATE");
        return ExitCode::from(2);
    };
    let stem = profile.strip_suffix(".mm_profdata").unwrap_or(profile);
    let data = match ProfilingData::new(Path::new(stem)) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("cannot read {profile}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut totals: Vec<(String, f64)> = by_category(&events(&data), &format!("{krate}::"))
        .into_iter()
        .collect();
    totals.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (category, seconds) in totals {
        println!("{seconds:.3}\t{category}");
    }
    ExitCode::SUCCESS
}

/// An interval event: thread, start and end (ns since the epoch), label, query key.
struct Event {
    thread: u32,
    start: u128,
    end: u128,
    label: String,
    key: String,
}

/// The interval events, ordered so that each comes after the events that enclose it.
fn events(data: &ProfilingData) -> Vec<Event> {
    let nanos = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    };
    let mut out: Vec<Event> = data
        .iter_full()
        .filter_map(|event| {
            let EventPayload::Timestamp(Timestamp::Interval { start, end }) = event.payload else {
                return None;
            };
            Some(Event {
                thread: event.thread_id,
                start: nanos(start),
                end: nanos(end),
                label: event.label.to_string(),
                key: event
                    .additional_data
                    .first()
                    .map(|k| k.to_string())
                    .unwrap_or_default(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.thread, a.start, std::cmp::Reverse(a.end)).cmp(&(
            b.thread,
            b.start,
            std::cmp::Reverse(b.end),
        ))
    });
    out
}

/// Self time in seconds by category (see the crate's docs).
fn by_category(events: &[Event], item_prefix: &str) -> HashMap<String, f64> {
    let mut owner: Vec<String> = Vec::with_capacity(events.len());
    let mut children = vec![0u128; events.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        while let Some(&top) = open.last() {
            let parent = &events[top];
            if parent.thread == event.thread
                && parent.start <= event.start
                && event.end <= parent.end
            {
                break;
            }
            open.pop();
        }
        let inherited = open.last().map(|&p| &owner[p]);
        let own = event
            .key
            .starts_with(item_prefix)
            .then(|| item_category(&event.key));
        owner.push(match (inherited, own) {
            (Some(item), _) if !item.starts_with('[') => item.clone(),
            (_, Some(item)) => item,
            (Some(pass), None) => pass.clone(),
            (None, None) => pass_category(&event.label),
        });
        if let Some(&parent) = open.last() {
            children[parent] += event.end.saturating_sub(event.start);
        }
        open.push(i);
    }
    let mut totals: HashMap<String, f64> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        if owner[i].is_empty() {
            continue;
        }
        let own = event
            .end
            .saturating_sub(event.start)
            .saturating_sub(children[i]);
        *totals.entry(owner[i].clone()).or_default() += own as f64 / 1e9;
    }
    totals
}

/// What an item's body is, by its path: the trait method it implements, else "other".
fn item_category(path: &str) -> String {
    let segments: Vec<&str> = path.split("::").collect();
    let has = |name: &str| segments.contains(&name);
    let last = segments.last().copied().unwrap_or_default();
    let category = if has("deserialize") || last.starts_with("visit_") {
        "Deserialize impls"
    } else if has("serialize") {
        "Serialize impls"
    } else if last == "fmt" {
        "Debug and Display impls"
    } else if last == "clone" || last == "clone_from" {
        "Clone impls"
    } else if matches!(last, "eq" | "ne") || last.starts_with("assert_") {
        "PartialEq and Eq impls"
    } else if last == "hash" {
        "Hash impls"
    } else if last == "default" {
        "Default impls"
    } else {
        "other items (constructors, requests, answers, checks)"
    };
    category.to_owned()
}

/// A crate-wide pass, by the label of the outermost event it ran under. The profiler's own
/// bookkeeping is the empty category (left out).
fn pass_category(label: &str) -> String {
    let category = match label {
        l if l.starts_with("self_profile") => "",
        "resolver_for_lowering_raw" | "macro_expand_crate" | "expand_crate" => {
            "[macro expansion and name resolution]"
        }
        "generate_crate_metadata" => "[crate metadata]",
        l if l.starts_with("codegen") || l.starts_with("LLVM") || l == "link" => {
            "[code generation and linking]"
        }
        _ => "[other crate-wide analysis]",
    };
    category.to_owned()
}
