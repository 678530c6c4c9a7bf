//! End to end: a real HTTP server (axum) on 127.0.0.1 with a random port serves the seed example
//! bodies; every operation goes through the `client` feature; the test checks what the server
//! received and what the client returned. No mocked transport.

mod common;

use common::Seen;

use api_models::client::Client;
use api_models::request::{ApiError, Operation};
use api_models::sakari::{self, CallStatus, GetConversation, GetMessage, ListCalls};
use api_models::{chatwoot, textus};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Server {
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn seed(name: &str) -> String {
    let (_, text) = api_tests::fixtures("seeds")
        .into_iter()
        .find(|(n, _)| n == name)
        .expect("seed file");
    text
}

/// The seed call list cut into three pages of 2, 2 and 1 calls.
fn call_page(offset: usize) -> String {
    let mut list: serde_json::Value =
        serde_json::from_str(&seed("sakari.listCalls.200.json")).expect("JSON");
    let template = list["data"][0].clone();
    let total = 5;
    let ids: Vec<usize> = (offset..total.min(offset + 2)).collect();
    list["data"] = ids
        .iter()
        .map(|i| {
            let mut call = template.clone();
            call["id"] = format!("call_{i}").into();
            call["status"] = if *i == 4 {
                "voicemail_left".into()
            } else {
                "ended".into()
            };
            call
        })
        .collect();
    list["pagination"] = serde_json::json!({
        "totalCount": total, "limit": 2, "offset": offset, "hasNext": offset + 2 < total
    });
    list.to_string()
}

async fn handle(State(server): State<Server>, request: Request) -> Response {
    let uri = request.uri().clone();
    server.seen.lock().expect("lock").push(Seen::of(&request));
    let offset = uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("offset=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let segments: Vec<&str> = uri.path().split('/').collect();
    let (status, body) = match segments.as_slice() {
        ["", "v1", "accounts", _, "conversations", _] => {
            (200, seed("sakari.getConversation.200.json"))
        }
        ["", "v1", "accounts", _, "messages", _] => (200, seed("sakari.getMessage.200.json")),
        ["", "v1", "accounts", _, "calls"] => (200, call_page(offset)),
        ["", "api", "v1", "accounts", _, "conversations", "404"] => {
            (404, seed("chatwoot.getConversation.404.json"))
        }
        ["", "api", "v1", "accounts", _, "conversations", _] => {
            (200, seed("chatwoot.getConversation.200.json"))
        }
        ["", "conversations", "garbled"] => (200, r#"{"not": "a conversation"}"#.to_owned()),
        ["", "conversations", _] => (200, seed("textus.getConversation.200.json")),
        _ => (500, "not a route of this test".to_owned()),
    };
    Response::builder()
        .status(StatusCode::from_u16(status).expect("status"))
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("response")
}

/// Starts the server on a random loopback port; returns its base URL.
async fn start(server: Server) -> String {
    common::serve(axum::Router::new().fallback(handle).with_state(server)).await
}

#[tokio::test]
async fn every_operation_over_a_real_http_server() {
    let server = Server::default();
    let base = start(server.clone()).await;
    let sakari = Client::new(
        sakari::api_with_token("tok_sakari")
            .expect("token")
            .with_base_url(&base)
            .expect("url"),
    );

    // Sakari getConversation, with a hostile path value that must stay one segment.
    let op = GetConversation::builder()
        .account_id("../x")
        .conversation_id("conv_1")
        .build()
        .expect("valid");
    let conversation = sakari.send(&op).await.expect("a conversation");
    assert!(conversation.success);
    assert_eq!(
        conversation
            .data
            .contact
            .as_ref()
            .map(|c| c.email.as_deref()),
        Some(Some("chris@sakari.io"))
    );

    // Sakari getMessage.
    let op = GetMessage::builder()
        .account_id("acc_1")
        .message_id("msg_1")
        .build()
        .expect("valid");
    let message = sakari.send(&op).await.expect("a message");
    assert_eq!(message.data.phone_number.as_deref(), Some("+1234567890"));

    // Sakari listCalls, three pages walked by the stream.
    let op = ListCalls::builder()
        .account_id("acc_1")
        .status(CallStatus::Ended)
        .limit(2)
        .build()
        .expect("valid");
    let calls: Vec<_> = sakari.items(op).collect().await;
    let calls: Vec<sakari::Call> = calls
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("every page");
    let ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["call_0", "call_1", "call_2", "call_3", "call_4"]);
    assert_eq!(
        calls[4].status.as_str(),
        "voicemail_left",
        "an unlisted status survives the client"
    );

    // Chatwoot getConversation: 200, then the typed 404 error body.
    let chatwoot = Client::new(
        chatwoot::api("tok_chatwoot")
            .expect("key")
            .with_base_url(&base)
            .expect("url"),
    );
    let op = chatwoot::GetConversation::builder()
        .account_id(1)
        .conversation_id(2)
        .build()
        .expect("valid");
    let conversation = chatwoot.send(&op).await.expect("a conversation");
    assert_eq!(conversation.status, chatwoot::ConversationStatus::Open);
    let op = chatwoot::GetConversation::builder()
        .account_id(1)
        .conversation_id(404)
        .build()
        .expect("valid");
    match chatwoot.send(&op).await {
        Err(ApiError::Status {
            status: 404, body, ..
        }) => {
            assert_eq!(body.description.as_deref(), Some("string"))
        }
        other => panic!("expected the typed 404 body, got {other:?}"),
    }

    // TextUs getConversation.
    let textus = Client::new(
        textus::api("tok_textus")
            .expect("token")
            .with_base_url(&base)
            .expect("url"),
    );
    let op = textus::GetConversation::builder()
        .conversation("Pvwqm5G")
        .build()
        .expect("valid");
    let conversation = textus.send(&op).await.expect("a conversation");
    assert_eq!(conversation.slug.as_deref(), Some("kY1QwY"));
    assert!(conversation.assigned_contact.is_null());

    // What the server received.
    let seen = server.seen.lock().expect("lock").clone();
    let lines: Vec<String> = seen
        .iter()
        .map(|s| {
            format!(
                "{} {}{}",
                s.method,
                s.path,
                s.query
                    .as_ref()
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "GET /v1/accounts/..%2Fx/conversations/conv_1",
            "GET /v1/accounts/acc_1/messages/msg_1",
            "GET /v1/accounts/acc_1/calls?status=ended&limit=2",
            "GET /v1/accounts/acc_1/calls?status=ended&offset=2&limit=2",
            "GET /v1/accounts/acc_1/calls?status=ended&offset=4&limit=2",
            "GET /api/v1/accounts/1/conversations/2",
            "GET /api/v1/accounts/1/conversations/404",
            "GET /conversations/Pvwqm5G",
        ]
    );
    for s in &seen[..5] {
        assert_eq!(s.header("authorization"), Some("Bearer tok_sakari"));
    }
    for s in &seen[5..7] {
        assert_eq!(s.header("api_access_token"), Some("tok_chatwoot"));
        assert_eq!(s.header("authorization"), None);
    }
    assert_eq!(seen[7].header("authorization"), Some("Bearer tok_textus"));
    assert_eq!(
        seen[7].header("accept"),
        Some("application/vnd.textus+jsonld")
    );
}

#[tokio::test]
async fn transport_failures_and_undecodable_bodies_are_told_apart() {
    // Nothing listens on this port once the listener is dropped.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let client = Client::new(
        sakari::api_with_token("t")
            .expect("token")
            .with_base_url(&dead)
            .expect("url"),
    );
    let op = GetMessage::builder()
        .account_id("a")
        .message_id("m")
        .build()
        .expect("valid");
    // A connection that fails is tried again, as the default policy says (its waits skipped).
    let client = client.with_clock(api_tests::TestClock::default());
    assert!(matches!(
        client.send(&op).await,
        Err(ApiError::Transport { attempts: 3, .. })
    ));

    // The route table answers 500 with plain text for an unknown path. TextUs documents no error
    // body, so the status is an error of the API with the text kept (not an undecodable body).
    let base = start(Server::default()).await;
    let client = Client::new(
        textus::api("t")
            .expect("token")
            .with_base_url(&format!("{base}/nowhere"))
            .expect("url"),
    );
    let op = textus::GetConversation::builder()
        .conversation("c")
        .build()
        .expect("valid");
    match client.send(&op).await {
        Err(ApiError::Status {
            status: 500, body, ..
        }) => assert_eq!(body, "not a route of this test"),
        other => panic!("expected the status with its text, got {other:?}"),
    }
    // A success answer that does not match its schema is undecodable, with its bytes.
    let op = textus::GetConversation::builder()
        .conversation("garbled")
        .build()
        .expect("valid");
    let client = Client::new(
        textus::api("t")
            .expect("token")
            .with_base_url(&base)
            .expect("url"),
    );
    match client.send(&op).await {
        Err(ApiError::Decode {
            status: 200, body, ..
        }) => assert_eq!(body, b"{\"not\": \"a conversation\"}"),
        other => panic!("expected an undecodable body, got {other:?}"),
    }
    assert_eq!(textus::GetConversation::ID, "getConversation");
}
