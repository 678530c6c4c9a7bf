//! Shared helpers of the test suites: fixture loading and the round-trip check.
//!
//! The README is this crate's documentation too, so its examples run as doctests.
#![doc = include_str!("../README.md")]

use serde::{de::DeserializeOwned, Serialize};

// The runtime modules at the paths generated code refers to (`crate::answer`, `crate::event`,
// `crate::oauth`, `crate::request`, `crate::support`, `crate::webhook`).
pub use api_models::{answer, event, oauth, request, support, webhook};

/// Requests of `fixtures/wire/wire.json`, generated at build time: a form body with deepObject
/// fields, a multipart upload, deepObject query parameters, a `204` answer, a public operation and
/// a body in two media types, for the end-to-end tests.
pub mod wire {
    include!(concat!(env!("OUT_DIR"), "/wire.rs"));
}

/// A Twilio-style number of `fixtures/wire/inbound.json`, generated at build time: its inbound
/// messages are a callback posted as a form, signed as `x-webhook-signature: twilio` says.
pub mod inbound {
    include!(concat!(env!("OUT_DIR"), "/inbound.rs"));
}
use std::path::{Path, PathBuf};

/// The folder of JSON fixtures (`seeds/` are the vendors' own examples, `payloads/` our own).
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture file below `fixtures/<kind>`, sorted, as (file name, text).
pub fn fixtures(kind: &str) -> Vec<(String, String)> {
    let dir = fixtures_dir().join(kind);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name, text)
        })
        .collect();
    out.sort();
    out
}

/// Parses `text` as `T`, writes it back, and checks that nothing was lost: the written JSON equals the
/// input JSON, and reading it again gives an equal `T`. Returns the parsed value.
pub fn round_trip<T>(name: &str, text: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let value: T =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: does not deserialise: {e}"));
    let original: serde_json::Value = serde_json::from_str(text).expect("fixture is JSON");
    let written =
        serde_json::to_value(&value).unwrap_or_else(|e| panic!("{name}: does not serialise: {e}"));
    assert_eq!(written, original, "{name}: the round trip changed the JSON");
    let again: T = serde_json::from_value(written)
        .unwrap_or_else(|e| panic!("{name}: written JSON does not read back: {e}"));
    assert_eq!(
        again, value,
        "{name}: reading the written JSON gave a different value"
    );
    value
}

/// A clock for the client that records each wait asked of it and ends it at once, moving its own
/// time on by it; [`TestClock::advance`] moves it as a test says. What a test measures is the
/// wait asked for, never wall time.
#[derive(Debug, Clone)]
pub struct TestClock {
    start: std::time::Instant,
    elapsed: std::sync::Arc<std::sync::Mutex<std::time::Duration>>,
    waits: std::sync::Arc<std::sync::Mutex<Vec<std::time::Duration>>>,
}

impl Default for TestClock {
    fn default() -> Self {
        TestClock {
            start: std::time::Instant::now(),
            elapsed: Default::default(),
            waits: Default::default(),
        }
    }
}

impl TestClock {
    /// The waits asked for so far, in order.
    pub fn waits(&self) -> Vec<std::time::Duration> {
        self.waits.lock().unwrap().clone()
    }

    /// Moves the clock on by `by` (a token ages).
    pub fn advance(&self, by: std::time::Duration) {
        *self.elapsed.lock().unwrap() += by;
    }
}

impl api_models::client::Clock for TestClock {
    fn now(&self) -> std::time::Instant {
        self.start + *self.elapsed.lock().unwrap()
    }

    fn sleep(
        &self,
        wait: std::time::Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(wait);
        self.advance(wait);
        Box::pin(std::future::ready(()))
    }
}
