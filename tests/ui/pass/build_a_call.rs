//! Build a model by hand, serialise it, and read it back.
use api_models::sakari::{Call, CallDirection, CallStatus};
use api_models::support::UnknownFields;

fn main() {
    let call = Call {
        id: "call_01".to_owned(),
        direction: CallDirection::Outbound,
        status: "ringing".parse().unwrap_or(CallStatus::Initiated),
        contact: None,
        group: None,
        phone_number: None,
        user: None,
        duration: Some(42),
        voicemail: None,
        recording: Some(false),
        created: None,
        extra: UnknownFields::new(),
    };
    let json = serde_json::to_string(&call).expect("serialises");
    let back: Call = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, call);
    assert_eq!(back.status, CallStatus::Ringing);
}
