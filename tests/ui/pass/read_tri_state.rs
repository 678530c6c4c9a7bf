//! Read a property that may be absent, null, or a value.
use api_models::support::Nullable;
use api_models::textus::Message;

fn main() {
    let json = r#"{"@type": "Message", "id": "/messages/1", "sender": null}"#;
    let message: Message = serde_json::from_str(json).expect("deserialises");
    match &message.sender {
        Nullable::Absent => panic!("the sender was sent"),
        Nullable::Null => {}
        Nullable::Present(iri) => panic!("no sender expected, got {iri}"),
    }
    assert!(message.retry.is_absent());
    assert_eq!(message.sender.value(), None);
    let tagged = match serde_json::from_str::<api_models::textus::TimelineMember>(json) {
        Ok(api_models::textus::TimelineMember::Message(m)) => m.id,
        Ok(other) => panic!("unexpected {other:?}"),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(tagged, "/messages/1");
}
