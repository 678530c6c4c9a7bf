//! OAuth 2.0 client credentials against a real HTTP server (axum on 127.0.0.1) that is both the
//! token endpoint (`POST /oauth2/token`, as Sakari's description has it) and the API: Sakari's
//! shipped `api(client_id, client_secret)`, one token for many concurrent requests, renewal
//! before expiry and after a `401`, and a secret that no error or `Debug` shows. Token ages are
//! measured on the client's test clock, never on wall time.

mod common;

use api_models::client::Client;
use api_models::oauth::ClientAuth;
use api_models::request::{Api, ApiError, Credential};
use api_models::sakari::{self, GetMessage};
use api_tests::TestClock;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "s3cr3t-d0-n0t-sh0w";

#[derive(Default)]
struct Seen {
    /// The token requests: content type, authorization header, body.
    token_requests: Vec<(String, Option<String>, String)>,
    /// The `Authorization` of each API request.
    api_requests: Vec<Option<String>>,
    /// The bodies of the messages sent (`POST …/messages`).
    sent: Vec<String>,
}

#[derive(Clone, Default)]
struct Server {
    seen: Arc<Mutex<Seen>>,
    /// Tokens the API refuses with `401`.
    revoked: Arc<Mutex<Vec<String>>>,
    /// Answer every API request with `401`.
    refuse_all: bool,
    /// The token endpoint refuses the client.
    refuse_client: bool,
    /// Tokens are JWTs whose `exp` says when they expire, without `expires_in` (as Sakari's).
    jwt_lifetime: Option<u64>,
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("text").to_owned())
}

/// Unpadded base64url, to make a JWT.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

async fn handle(State(server): State<Server>, request: Request) -> Response {
    let respond = |status: u16, body: String| {
        Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("response")
    };
    if request.uri().path() == "/oauth2/token" {
        let content_type = header(&request, "content-type").unwrap_or_default();
        let authorization = header(&request, "authorization");
        let bytes = axum::body::to_bytes(request.into_body(), 1 << 16)
            .await
            .expect("body");
        let body = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        let mut seen = server.seen.lock().unwrap();
        seen.token_requests
            .push((content_type, authorization, body.clone()));
        if server.refuse_client {
            return respond(
                401,
                r#"{"error": "invalid_client", "error_description": "unknown client"}"#.into(),
            );
        }
        let n = seen.token_requests.len();
        let answer = match server.jwt_lifetime {
            Some(life) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("after 1970")
                    .as_secs();
                let claims = format!(r#"{{"sub": "client_1", "n": {n}, "exp": {}}}"#, now + life);
                let jwt = format!(
                    "{}.{}.c2ln",
                    base64url(br#"{"alg":"RS256","typ":"JWT"}"#),
                    base64url(claims.as_bytes())
                );
                format!(r#"{{"access_token": "{jwt}", "token_type": "Bearer"}}"#)
            }
            None => format!(
                r#"{{"access_token": "tok_{n}", "token_type": "Bearer", "expires_in": 3600}}"#
            ),
        };
        return respond(200, answer);
    }
    let authorization = header(&request, "authorization");
    server
        .seen
        .lock()
        .unwrap()
        .api_requests
        .push(authorization.clone());
    let token = authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    if server.refuse_all || token.is_empty() || server.revoked.lock().unwrap().contains(&token) {
        return respond(401, r#"{"error": "unauthorized"}"#.into());
    }
    if request.method() == "POST" && request.uri().path().ends_with("/messages") {
        let bytes = axum::body::to_bytes(request.into_body(), 1 << 16)
            .await
            .expect("body");
        let body = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        server.seen.lock().unwrap().sent.push(body);
        let queued = api_tests::fixtures("payloads")
            .into_iter()
            .find(|(n, _)| n == "sakari.sendMessages.200.queued.json")
            .expect("payload")
            .1;
        return respond(200, queued);
    }
    let seed = api_tests::fixtures("seeds")
        .into_iter()
        .find(|(n, _)| n == "sakari.getMessage.200.json")
        .expect("seed")
        .1;
    respond(200, seed)
}

/// `server` on a new port; its base URL.
async fn serve(server: &Server) -> String {
    common::serve(
        axum::Router::new()
            .fallback(handle)
            .with_state(server.clone()),
    )
    .await
}

/// Sakari's shipped API on a new server, authenticated with the client-credentials flow.
async fn start(server: &Server) -> (Client, TestClock) {
    let base = serve(server).await;
    let api = sakari::api("client_1", SECRET)
        .expect("credentials")
        .with_base_url(&base)
        .expect("url");
    let clock = TestClock::default();
    (Client::new(api).with_clock(clock.clone()), clock)
}

fn get_message() -> GetMessage {
    GetMessage::builder()
        .account_id("acc_1")
        .message_id("m_1")
        .build()
        .expect("valid")
}

#[tokio::test]
async fn fifty_concurrent_requests_share_one_token_which_is_renewed_before_it_expires() {
    let server = Server::default();
    let (client, clock) = start(&server).await;
    let op = get_message();
    let answers = futures_util::future::join_all((0..50).map(|_| client.send(&op))).await;
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    {
        let seen = server.seen.lock().unwrap();
        assert_eq!(seen.token_requests.len(), 1, "one token for all 50");
        // Sakari's token operation takes the id and secret in a JSON body.
        let (content_type, authorization, body) = &seen.token_requests[0];
        assert_eq!(content_type, "application/json");
        assert_eq!(authorization, &None);
        let body: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(
            body,
            serde_json::json!({"grant_type": "client_credentials", "client_id": "client_1", "client_secret": SECRET})
        );
        assert_eq!(seen.api_requests.len(), 50);
        assert!(seen
            .api_requests
            .iter()
            .all(|a| a.as_deref() == Some("Bearer tok_1")));
    }

    // Still fresh 30 s before it expires; not after.
    clock.advance(Duration::from_secs(3569));
    client.send(&op).await.expect("the same token");
    assert_eq!(server.seen.lock().unwrap().token_requests.len(), 1);
    clock.advance(Duration::from_secs(2));
    client.send(&op).await.expect("a new token");
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.token_requests.len(), 2);
    assert_eq!(
        seen.api_requests.last().unwrap().as_deref(),
        Some("Bearer tok_2")
    );
}

#[tokio::test]
async fn a_jwt_without_expires_in_is_renewed_by_its_exp_claim() {
    let server = Server {
        jwt_lifetime: Some(120),
        ..Server::default()
    };
    let (client, clock) = start(&server).await;
    let op = get_message();
    client.send(&op).await.expect("a token");
    // A 120 s token is renewed 30 s before `exp`.
    clock.advance(Duration::from_secs(60));
    client.send(&op).await.expect("the same token");
    assert_eq!(server.seen.lock().unwrap().token_requests.len(), 1);
    clock.advance(Duration::from_secs(40));
    client.send(&op).await.expect("a new token");
    assert_eq!(server.seen.lock().unwrap().token_requests.len(), 2);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_the_request_succeeds() {
    let server = Server {
        revoked: Arc::new(Mutex::new(vec!["tok_1".to_owned()])),
        ..Server::default()
    };
    let (client, _) = start(&server).await;
    let answer = client.send_full(&get_message()).await.expect("with tok_2");
    assert_eq!(answer.attempts, 2);
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.token_requests.len(), 2);
    assert_eq!(
        seen.api_requests,
        [
            Some("Bearer tok_1".to_owned()),
            Some("Bearer tok_2".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_401_that_stays_is_renewed_for_once_only() {
    let server = Server {
        refuse_all: true,
        ..Server::default()
    };
    let (client, _) = start(&server).await;
    let err = client.send(&get_message()).await.expect_err("401");
    assert_eq!((err.status(), err.attempts()), (Some(401), 2), "{err:?}");
    assert_eq!(server.seen.lock().unwrap().token_requests.len(), 2);
}

#[tokio::test]
async fn a_refused_client_is_a_token_error_that_never_shows_the_secret() {
    let server = Server {
        refuse_client: true,
        ..Server::default()
    };
    let (client, _) = start(&server).await;
    let err = client.send(&get_message()).await.expect_err("no token");
    let ApiError::Token {
        error: token_error,
        attempts: 0,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(token_error.status, Some(401));
    assert_eq!(
        err.to_string(),
        "the token endpoint answered 401: invalid_client: unknown client"
    );
    assert!(server.seen.lock().unwrap().api_requests.is_empty());
    for shown in [
        err.to_string(),
        format!("{err:?}"),
        format!("{:?}", client),
        format!("{:?}", client.api()),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
    // A request built by hand before any token was had says how to get one.
    let built = api_models::request::Operation::to_request(&get_message(), client.api());
    let refused = built.expect_err("no token yet").to_string();
    assert!(
        refused.contains("client-credentials flow `sakari_auth`"),
        "{refused}"
    );
}

#[tokio::test]
async fn basic_client_authentication_and_a_plain_token_work_too() {
    let server = Server::default();
    let base = serve(&server).await;
    let credential = Credential::client_credentials(
        "sakari_auth",
        &format!("{base}/oauth2/token"),
        "client 1",
        "p@ss:word",
        ClientAuth::Basic,
    )
    .expect("credential");
    let client = Client::new(Api::new(&base).expect("url").with_credential(credential));
    client.send(&get_message()).await.expect("a message");
    {
        let seen = server.seen.lock().unwrap();
        let (content_type, authorization, body) = &seen.token_requests[0];
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(body, "grant_type=client_credentials");
        // RFC 6749 §2.3.1: id and secret form-encoded, then joined and base64-encoded.
        assert_eq!(
            authorization.as_deref(),
            Some("Basic Y2xpZW50KzE6cCU0MHNzJTNBd29yZA==")
        );
    }

    // A token got elsewhere: sent as it is, no token request.
    let api = sakari::api_with_token("tok_1")
        .expect("token")
        .with_base_url(&base)
        .expect("url");
    Client::new(api)
        .send(&get_message())
        .await
        .expect("a message");
    assert_eq!(server.seen.lock().unwrap().token_requests.len(), 1);
}

#[tokio::test]
async fn the_token_is_asked_for_with_the_scopes_the_operation_names() {
    use api_tests::wire::{self, ListReports};
    let server = Server::default();
    let base = serve(&server).await;
    let credential = wire::credentials::app_oauth("client_1", SECRET).expect("credential");
    let client = Client::new(Api::new(&base).expect("url").with_credential(credential));
    // The fixture server answers any path but the token endpoint with a Sakari message; the
    // request is what this test is about, not the answer.
    let _ = client
        .send(&ListReports::builder().build().expect("valid"))
        .await;
    let seen = server.seen.lock().unwrap();
    let (content_type, authorization, body) = &seen.token_requests[0];
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        body,
        "grant_type=client_credentials&scope=reports%3Aexport+reports%3Aread"
    );
    assert!(authorization
        .as_deref()
        .is_some_and(|a| a.starts_with("Basic ")));
    assert_eq!(seen.api_requests, [Some("Bearer tok_1".to_owned())]);
}

#[tokio::test]
async fn an_sms_is_sent_with_a_token_of_the_client_credentials_flow() {
    use api_models::sakari::{Recipient, RecipientMobile, SendMessages, SendMessagesRequest};
    let server = Server::default();
    let (client, _) = start(&server).await;
    let body = SendMessagesRequest {
        contacts: Some(vec![Recipient {
            mobile: RecipientMobile {
                number: "+13035550142".into(),
                country: Some("US".into()),
                extra: Default::default(),
            },
            first_name: Some("Maria".into()),
            last_name: None,
            extra: Default::default(),
        }]),
        template: Some("Hi {{firstName}}, your parcel is out for delivery.".into()),
        conversations: None,
        type_: None,
        media: None,
        conversation_strategy: None,
        extra: Default::default(),
    };
    let op = SendMessages::builder()
        .account_id("acc_1")
        .body(body)
        .build()
        .expect("valid");
    let sent = client.send(&op).await.expect("queued");
    let job = sent.data.expect("the job");
    assert_eq!(job.queued, Some(1));
    assert_eq!(job.messages.as_ref().map(Vec::len), Some(1));
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.token_requests.len(), 1);
    assert_eq!(seen.api_requests, [Some("Bearer tok_1".to_owned())]);
    let body: serde_json::Value = serde_json::from_str(&seen.sent[0]).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({
            "contacts": [{"mobile": {"number": "+13035550142", "country": "US"}, "firstName": "Maria"}],
            "template": "Hi {{firstName}}, your parcel is out for delivery."
        })
    );
}
