//! Build every kind of request; turn it into an `http::Request` for any HTTP stack.
use api_models::request::{Operation, RequestError};
use api_models::sakari::{CallDirection, CallStatus, ListCalls};
use api_models::{chatwoot, textus};

fn main() -> Result<(), RequestError> {
    let calls = ListCalls::builder()
        .limit(25)
        .account_id("acc_1")
        .direction(CallDirection::Inbound)
        .status(CallStatus::Missed)
        .build()?;
    let request = calls.to_request(&api_models::sakari::api_with_token("token")?)?;
    assert_eq!(request.uri().query(), Some("direction=inbound&status=missed&limit=25"));

    let conversation = chatwoot::GetConversation::builder().conversation_id(7).account_id(1).build()?;
    let api = chatwoot::api("key")?.with_base_url("https://chat.example.org")?;
    assert_eq!(conversation.to_request(&api)?.uri().path(), "/api/v1/accounts/1/conversations/7");

    let textus_request = textus::GetConversation::builder().conversation("Pvwqm5G").build()?;
    assert_eq!(textus_request.headers()?, vec![("Accept", "application/vnd.textus+jsonld".to_owned())]);
    Ok(())
}
