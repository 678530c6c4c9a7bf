use api_models::sakari::{Call, CallDirection};

fn main() {
    let _call = Call {
        id: "call_01".to_owned(),
        direction: CallDirection::Inbound,
        contact: None,
        group: None,
        phone_number: None,
        user: None,
        duration: None,
        voicemail: None,
        recording: None,
        created: None,
        extra: Default::default(),
    };
}
