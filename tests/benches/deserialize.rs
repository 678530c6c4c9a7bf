//! Deserialising the seed payloads: the generated types (which keep unknown properties and tell
//! absent from null) against a plain `#[derive(Deserialize)]` twin of the same shape that drops
//! unknown properties (written by `build.rs` from the same IR).
//!
//! Run with `cargo bench -p api-tests --bench deserialize`; arguments filter the payloads by name.
//! Each round times one batch of the generated type and one of the twin, back to back, in
//! alternating order, each batch about 2 ms. The table gives each side's median time per parse,
//! and the median over the rounds of the paired ratio twin / generated (above 1.0: the generated
//! type reads faster), with its quartiles. Pairing the two batches of a round keeps the ratio
//! steady on a machine whose speed drifts.
//!
//! `DESERIALIZE_ROUNDS=N` sets the rounds (100 by default). `DESERIALIZE_BATCH=N` fixes a batch at
//! N parses, for counting instructions under callgrind (`cargo xtask bench-codegen` does).

use std::hint::black_box;
use std::time::{Duration, Instant};

mod twins {
    include!(concat!(env!("OUT_DIR"), "/twin.rs"));
}

/// A side's batch: parses the text that many times; the time it took.
type Batch = fn(&str, u32) -> Duration;

// The two sides are functions of their own, so that a profile (callgrind's inclusive cost of
// `generated` and `twin`) tells them apart.

/// A batch of the generated type `T`.
fn generated<T: serde::de::DeserializeOwned>(text: &str, times: u32) -> Duration {
    batch::<T>(text, times)
}

/// A batch of the twin `T`.
fn twin<T: serde::de::DeserializeOwned>(text: &str, times: u32) -> Duration {
    batch::<T>(text, times)
}

/// Parses `text` `times` times into `T` (dropping each value); the time it took.
fn batch<T: serde::de::DeserializeOwned>(text: &str, times: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..times {
        drop(black_box(
            serde_json::from_str::<T>(black_box(text)).expect("parses"),
        ));
    }
    start.elapsed()
}

/// One payload: its seed file, the generated type's batch and the twin's.
struct Payload {
    file: &'static str,
    generated: Batch,
    twin: Batch,
}

macro_rules! payloads {
    ($($file:literal $generated:ty, $twin:ty;)*) => {
        [$(Payload { file: $file, generated: generated::<$generated>, twin: twin::<$twin> },)*]
    };
}

fn main() {
    let payloads = payloads![
        "sakari.getConversation.200.json" api_models::sakari::ConversationResponse, twins::sakari::ConversationResponse;
        "sakari.getMessage.200.json" api_models::sakari::MessageResponse, twins::sakari::MessageResponse;
        "sakari.listCalls.200.json" api_models::sakari::CallList, twins::sakari::CallList;
        "chatwoot.getConversation.200.json" api_models::chatwoot::Conversation, twins::chatwoot::Conversation;
        "chatwoot.getConversation.404.json" api_models::chatwoot::ErrorResponse, twins::chatwoot::ErrorResponse;
        "textus.getConversation.200.json" api_models::textus::Conversation, twins::textus::Conversation;
    ];
    // `cargo bench` passes `--bench`; anything else filters the payloads by name.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let rounds: usize = match std::env::var("DESERIALIZE_ROUNDS") {
        Ok(n) => n.parse().expect("DESERIALIZE_ROUNDS is a number"),
        Err(_) => 100,
    };
    println!("| payload | bytes | generated | derive twin | twin / generated (quartiles) |");
    println!("|---|---|---|---|---|");
    for payload in &payloads {
        if filters.is_empty() || filters.iter().any(|f| payload.file.contains(f.as_str())) {
            println!("{}", measure(payload, rounds.max(1)));
        }
    }
}

/// Times one payload; its table row.
fn measure(payload: &Payload, rounds: usize) -> String {
    let path = api_tests::fixtures_dir().join("seeds").join(payload.file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let times = match std::env::var("DESERIALIZE_BATCH") {
        Ok(n) => n
            .parse::<std::num::NonZeroU32>()
            .expect("DESERIALIZE_BATCH is a number above 0")
            .get(),
        Err(_) => batch_size(payload, &text),
    };
    // Warm both up (caches, allocator) before the first timed round.
    (payload.generated)(&text, times);
    (payload.twin)(&text, times);
    let per_parse = |d: Duration| d.as_secs_f64() / f64::from(times);
    let mut generated_times = Vec::with_capacity(rounds);
    let mut twin_times = Vec::with_capacity(rounds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (g, t) = if round % 2 == 0 {
            let g = (payload.generated)(&text, times);
            (g, (payload.twin)(&text, times))
        } else {
            let t = (payload.twin)(&text, times);
            ((payload.generated)(&text, times), t)
        };
        generated_times.push(per_parse(g));
        twin_times.push(per_parse(t));
        // A clock too coarse to see a batch leaves the round out of the ratio.
        if !g.is_zero() && !t.is_zero() {
            ratios.push(t.as_secs_f64() / g.as_secs_f64());
        }
    }
    format!(
        "| {} | {} | {} | {} | {:.3}× ({:.3}–{:.3}) |",
        payload.file,
        text.len(),
        duration(quantile(&mut generated_times, 0.5)),
        duration(quantile(&mut twin_times, 0.5)),
        quantile(&mut ratios, 0.5),
        quantile(&mut ratios, 0.25),
        quantile(&mut ratios, 0.75),
    )
}

/// How many parses of the generated type make a batch of about 2 ms.
fn batch_size(payload: &Payload, text: &str) -> u32 {
    let mut times = 1;
    loop {
        let took = (payload.generated)(text, times);
        if took >= Duration::from_millis(2) || times >= 1 << 20 {
            return times;
        }
        times *= 2;
    }
}

/// The `q` quantile (0.5: the median) of `values`, which it sorts (NaN when there are none).
fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let index = ((values.len() - 1) as f64 * q).round() as usize;
    values[index]
}

/// Seconds, in the unit that suits them.
fn duration(seconds: f64) -> String {
    if seconds < 1e-6 {
        format!("{:.0} ns", seconds * 1e9)
    } else {
        format!("{:.2} µs", seconds * 1e6)
    }
}
