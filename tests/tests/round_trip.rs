//! Every fixture – the vendors' own example bodies (`fixtures/seeds`) and our own realistic payloads
//! (`fixtures/payloads`) – deserialises into its generated type and writes back the same JSON.

use api_models::{chatwoot, sakari, textus};
use api_tests::{fixtures, round_trip};

/// Checks one fixture, chosen by the `<vendor>.<operationId>.<status>` prefix of its file name.
fn check(name: &str, text: &str) {
    let key: Vec<&str> = name.splitn(4, '.').take(3).collect();
    match key.join(".").as_str() {
        "sakari.getConversation.200" => drop(round_trip::<sakari::ConversationResponse>(name, text)),
        "sakari.getMessage.200" => drop(round_trip::<sakari::MessageResponse>(name, text)),
        "sakari.listCalls.200" => drop(round_trip::<sakari::CallList>(name, text)),
        "chatwoot.getConversation.200" => drop(round_trip::<chatwoot::Conversation>(name, text)),
        "chatwoot.getConversation.403" | "chatwoot.getConversation.404" => {
            drop(round_trip::<chatwoot::ErrorResponse>(name, text))
        }
        "textus.getConversation.200" => drop(round_trip::<textus::Conversation>(name, text)),
        other => panic!("{name}: no type is known for `{other}`; add it to this table"),
    }
}

#[test]
fn seed_examples_round_trip() {
    let seeds = fixtures("seeds");
    assert_eq!(seeds.len(), 7, "the seven example bodies of the seed pages");
    for (name, text) in &seeds {
        check(name, text);
    }
}

#[test]
fn own_payloads_round_trip() {
    let payloads = fixtures("payloads");
    assert!(payloads.len() >= 16, "at least three payloads per endpoint");
    for (name, text) in &payloads {
        check(name, text);
    }
}
