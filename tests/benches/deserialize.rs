//! Deserialising the seed payloads: the generated types (which keep unknown properties and tell
//! absent from null) against a plain `#[derive(Deserialize)]` twin of the same shape that drops
//! unknown properties (written by `build.rs` from the same IR).
//!
//! Run with `cargo bench -p api-tests`; compare the `generated` and `derive_twin` rows per payload.

use divan::counter::BytesCount;
use divan::{black_box, Bencher};

mod twin {
    include!(concat!(env!("OUT_DIR"), "/twin.rs"));
}

fn main() {
    divan::main();
}

fn seed(name: &str) -> String {
    let path = api_tests::fixtures_dir().join("seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn run<T: serde::de::DeserializeOwned>(bencher: Bencher, file: &str) {
    let text = seed(file);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| serde_json::from_str::<T>(black_box(&text)).expect("parses"));
}

macro_rules! payload {
    ($bench:ident, $file:literal, $generated:ty, $twin:ty) => {
        mod $bench {
            use super::*;

            #[divan::bench]
            fn generated(bencher: Bencher) {
                run::<$generated>(bencher, $file);
            }

            #[divan::bench]
            fn derive_twin(bencher: Bencher) {
                run::<$twin>(bencher, $file);
            }
        }
    };
}

payload!(
    sakari_get_conversation,
    "sakari.getConversation.200.json",
    api_models::sakari::ConversationResponse,
    twin::sakari::ConversationResponse
);
payload!(
    sakari_get_message,
    "sakari.getMessage.200.json",
    api_models::sakari::MessageResponse,
    twin::sakari::MessageResponse
);
payload!(
    sakari_list_calls,
    "sakari.listCalls.200.json",
    api_models::sakari::CallList,
    twin::sakari::CallList
);
payload!(
    chatwoot_get_conversation,
    "chatwoot.getConversation.200.json",
    api_models::chatwoot::Conversation,
    twin::chatwoot::Conversation
);
payload!(
    chatwoot_error_404,
    "chatwoot.getConversation.404.json",
    api_models::chatwoot::ErrorResponse,
    twin::chatwoot::ErrorResponse
);
payload!(
    textus_get_conversation,
    "textus.getConversation.200.json",
    api_models::textus::Conversation,
    twin::textus::Conversation
);
