//! The unhappy path against a real HTTP server (axum on 127.0.0.1): retries by the client's
//! policy, typed errors by status, declared response headers read typed. The server answers from
//! a script, in order, and records every request; the client's waits go to a test clock
//! that records them and returns at once, so what is measured is the wait asked for, never wall time.

mod common;

use common::Seen;

use api_models::answer::{rate_limit_reset, retry_after, server_delay};
use api_models::client::Client;
use api_models::request::{http::HeaderMap, Api, ApiError};
use api_models::retry::{Outcome, RetryPolicy};
use api_tests::wire::{get_message, send_message, GetMessage, MessageRequest, SendMessage};
use api_tests::TestClock;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// One scripted answer: status, headers, body.
type Scripted = (u16, Vec<(&'static str, String)>, String);

#[derive(Clone, Default)]
struct Server {
    script: Arc<Mutex<VecDeque<Scripted>>>,
    /// Answered once the script is used up.
    then: Arc<Mutex<Option<Scripted>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn answering(answers: Vec<Scripted>) -> Server {
        let server = Server::default();
        *server.script.lock().unwrap() = answers.into();
        server
    }

    fn always(answer: Scripted) -> Server {
        let server = Server::default();
        *server.then.lock().unwrap() = Some(answer);
        server
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn handle(State(server): State<Server>, request: Request) -> Response {
    server.seen.lock().unwrap().push(Seen::of(&request));
    let next = server.script.lock().unwrap().pop_front();
    let (status, headers, body) = next
        .or_else(|| server.then.lock().unwrap().clone())
        .expect("the script has an answer for every request");
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(name, value);
    }
    response.body(Body::from(body)).expect("response")
}

/// A client of the wire fixture's API on a new server, and its clock.
async fn client_of(server: &Server, policy: RetryPolicy) -> (Client, TestClock) {
    let base = common::serve(
        axum::Router::new()
            .fallback(handle)
            .with_state(server.clone()),
    )
    .await;
    let api = Api::new(&base)
        .expect("url")
        .with_credential(api_tests::wire::credentials::secret_key("sk_test").expect("key"));
    let clock = TestClock::default();
    let client = Client::new(api)
        .with_retry(policy)
        .with_clock(clock.clone());
    (client, clock)
}

fn json(status: u16, body: &str) -> Scripted {
    (
        status,
        vec![("content-type", "application/json".to_owned())],
        body.to_owned(),
    )
}

fn with(mut answer: Scripted, name: &'static str, value: &str) -> Scripted {
    answer.1.push((name, value.to_owned()));
    answer
}

const MESSAGE: &str = r#"{"id": "m_1", "text": "hello"}"#;
const RATE_LIMITED: &str = r#"{"message": "You are being rate limited.", "retry_after": 1.0}"#;

fn get(message: &str) -> GetMessage {
    GetMessage::builder()
        .message(message)
        .build()
        .expect("valid")
}

fn send(key: Option<&str>) -> SendMessage {
    let body = MessageRequest {
        text: "hi".into(),
        extra: Default::default(),
    };
    let builder = SendMessage::builder().body(body);
    match key {
        Some(key) => builder.idempotency_key(key),
        None => builder,
    }
    .build()
    .expect("valid")
}

#[tokio::test]
async fn a_429_with_retry_after_then_200_takes_two_attempts_and_waits_as_asked() {
    let server = Server::answering(vec![
        with(json(429, RATE_LIMITED), "retry-after", "1"),
        with(
            with(json(200, MESSAGE), "x-ratelimit-remaining", "4"),
            "last-modified-at",
            "2024-05-15T10:00:00Z",
        ),
    ]);
    let (client, clock) = client_of(&server, RetryPolicy::default()).await;
    let answer = client
        .send_full(&get("m_1"))
        .await
        .expect("the second attempt");
    assert_eq!(answer.attempts, 2);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body.id, "m_1");
    assert_eq!(clock.waits(), [Duration::from_secs(1)]);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen
        .iter()
        .all(|s| s.method == "GET" && s.path == "/v1/messages/m_1"));

    // The headers the description declares on the answer, typed.
    let headers = get_message::Headers::from(&answer.headers);
    assert_eq!(headers.x_rate_limit_remaining, Some(4));
    assert_eq!(headers.x_rate_limit_reset_after, None);
    let at = headers.last_modified_at.expect("a date-time");
    assert_eq!(at.unix_timestamp(), 1_715_767_200);
}

#[tokio::test]
async fn a_503_on_every_attempt_gives_up_with_the_last_typed_error_and_the_count() {
    let server = Server::always((503, vec![], "down for maintenance".to_owned()));
    let (client, clock) = client_of(&server, RetryPolicy::default()).await;
    let err = client.send(&get("m_1")).await.expect_err("503 throughout");
    let ApiError::Status {
        status: 503,
        body: get_message::Error::Status5XX(text),
        attempts: 3,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(text, "down for maintenance");
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().ends_with("(after 3 attempts)"), "{err}");
    assert_eq!(server.seen().len(), 3);
    // Exponential backoff with jitter: half to all of 0.5 s, then of 1 s.
    let waits = clock.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        (Duration::from_millis(250)..=Duration::from_millis(500)).contains(&waits[0]),
        "{waits:?}"
    );
    assert!(
        (Duration::from_millis(500)..=Duration::from_secs(1)).contains(&waits[1]),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_post_is_retried_only_with_its_idempotency_key_which_stays_the_same() {
    // Without a key: one attempt, whatever the answer.
    let server = Server::always((503, vec![], String::new()));
    let (client, clock) = client_of(&server, RetryPolicy::default()).await;
    let err = client.send(&send(None)).await.expect_err("503");
    assert!(
        matches!(
            err,
            ApiError::Status {
                status: 503,
                body: send_message::Error::Status503(_),
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 1);
    assert!(clock.waits().is_empty());

    // With one: retried, and every attempt carries the same key.
    let server = Server::answering(vec![
        (503, vec![], String::new()),
        (502, vec![], String::new()),
        with(json(200, MESSAGE), "request-id", "req_42"),
    ]);
    let (client, clock) = client_of(&server, RetryPolicy::default()).await;
    let answer = client
        .send_full(&send(Some("key-7f3a")))
        .await
        .expect("the third attempt");
    assert_eq!(answer.attempts, 3);
    assert_eq!(clock.waits().len(), 2);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(
            (s.method.as_str(), s.path.as_str()),
            ("POST", "/v1/messages")
        );
        assert_eq!(s.header("idempotency-key"), Some("key-7f3a"));
    }
    let headers = send_message::Headers::from(&answer.headers);
    assert_eq!(headers.request_id.as_deref(), Some("req_42"));

    // Or with a key the policy generates: fresh for each request, the same on its attempts.
    let server = Server::answering(vec![
        (503, vec![], String::new()),
        json(200, MESSAGE),
        json(200, MESSAGE),
    ]);
    let policy = RetryPolicy::default().with_generated_idempotency_keys();
    let (client, _) = client_of(&server, policy).await;
    client.send(&send(None)).await.expect("the second attempt");
    client.send(&send(None)).await.expect("another request");
    let keys: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.header("idempotency-key").expect("a key").to_owned())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys[0].len() == 32 && keys[0].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(keys[0], keys[1], "the same key on each attempt");
    assert_ne!(keys[1], keys[2], "a fresh key for each request");
    // A key the request sets is kept.
    let server = Server::answering(vec![json(200, MESSAGE)]);
    let policy = RetryPolicy::default().with_generated_idempotency_keys();
    let (client, _) = client_of(&server, policy).await;
    client.send(&send(Some("mine"))).await.expect("sent");
    assert_eq!(server.seen()[0].header("idempotency-key"), Some("mine"));

    // Or when the user says the operation may be repeated.
    let server = Server::answering(vec![(503, vec![], String::new()), json(200, MESSAGE)]);
    let policy = RetryPolicy::default().retry_operation("sendMessage");
    let (client, _) = client_of(&server, policy).await;
    let message = client.send(&send(None)).await.expect("the second attempt");
    assert_eq!(message.id, "m_1");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn each_documented_error_status_decodes_to_its_variant() {
    let server = Server::answering(vec![
        with(
            with(json(429, RATE_LIMITED), "x-ratelimit-global", "true"),
            "x-ratelimit-reset-after",
            "2.5",
        ),
        json(400, r#"{"code": 50035, "message": "Invalid Form Body"}"#),
        json(404, r#"{"code": 10008, "message": "Unknown Message"}"#),
        (418, vec![], "I'm a teapot".to_owned()),
        (404, vec![], "<html>not found</html>".to_owned()),
    ]);
    let (client, clock) = client_of(&server, RetryPolicy::none()).await;

    // 429: its own body, and the rate-limit headers typed.
    let err = client.send(&send(None)).await.expect_err("429");
    let ApiError::Status {
        status: 429,
        body: send_message::Error::Status429(limited),
        headers,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        limited.retry_after,
        serde_json::Number::from_f64(1.0).unwrap()
    );
    let typed = send_message::Headers::from(&**headers);
    assert_eq!(typed.x_rate_limit_reset_after, Some(2.5));
    assert_eq!(err.retry_after(), Some(Duration::from_millis(2500)));

    // Any other 4xx: the range's body.
    let err = client.send(&send(None)).await.expect_err("400");
    assert!(
        matches!(&err, ApiError::Status { body: send_message::Error::Status4XX(e), .. } if e.code == 50035),
        "{err:?}"
    );

    // A GET's 404 has a variant of its own; a status nobody documented keeps its bytes.
    let err = client.send(&get("gone")).await.expect_err("404");
    assert!(
        matches!(&err, ApiError::Status { body: get_message::Error::Status404(e), .. } if e.message == "Unknown Message"),
        "{err:?}"
    );
    let err = client.send(&get("tea")).await.expect_err("418");
    let ApiError::Status {
        body: get_message::Error::Other { status, body },
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*status, body.as_slice()), (418, &b"I'm a teapot"[..]));

    // A documented error whose body does not match its schema: the bytes and the place.
    let err = client.send(&get("html")).await.expect_err("404 as HTML");
    let ApiError::Decode {
        status: 404,
        body,
        path,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(body, b"<html>not found</html>");
    assert_eq!(path, ".");
    assert!(clock.waits().is_empty(), "RetryPolicy::none()");
}

#[tokio::test]
async fn a_429_without_retry_after_waits_for_the_rate_limit_reset_and_a_longer_wait_gives_up() {
    let server = Server::answering(vec![
        with(json(429, RATE_LIMITED), "x-ratelimit-reset-after", "2.5"),
        with(json(429, RATE_LIMITED), "retry-after", "3600"),
        json(200, MESSAGE),
    ]);
    let policy = RetryPolicy::default()
        .with_max_attempts(4)
        .with_max_delay(Duration::from_secs(10));
    let (client, clock) = client_of(&server, policy).await;
    let err = client
        .send(&get("m_1"))
        .await
        .expect_err("asked to wait an hour");
    // The second answer asks for longer than the policy waits: it is the answer, not retried.
    assert_eq!((err.status(), err.attempts()), (Some(429), 2), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(clock.waits(), [Duration::from_millis(2500)]);
    assert_eq!(server.seen().len(), 2);
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, value.parse().expect("header value"));
    }
    map
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    // 2015-10-21T07:28:00Z
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
    let at = |value: &str| retry_after(&headers(&[("retry-after", value)]), now);
    assert_eq!(at("120"), Some(Duration::from_secs(120)));
    assert_eq!(at(" 0 "), Some(Duration::ZERO));
    assert_eq!(
        at("Wed, 21 Oct 2015 07:28:30 GMT"),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        at("Wed, 21 Oct 2015 07:00:00 GMT"),
        Some(Duration::ZERO),
        "past"
    );
    assert_eq!(at("soon"), None);
    assert_eq!(at("-5"), None);

    let reset = |pairs: &[(&'static str, &str)]| rate_limit_reset(&headers(pairs), now);
    assert_eq!(
        reset(&[("x-ratelimit-reset-after", "0.25")]),
        Some(Duration::from_millis(250))
    );
    assert_eq!(
        reset(&[("ratelimit-reset", "7")]),
        Some(Duration::from_secs(7))
    );
    // A Unix time, and seconds from now.
    assert_eq!(
        reset(&[("x-ratelimit-reset", "1445412490")]),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        reset(&[("x-ratelimit-reset", "15")]),
        Some(Duration::from_secs(15))
    );
    assert_eq!(
        reset(&[("x-ratelimit-reset", "1e300")]),
        None,
        "past any Duration"
    );
    assert_eq!(reset(&[("x-ratelimit-reset-after", "NaN")]), None);

    // Reset headers count only on a 429; Retry-After on any status.
    let limited = headers(&[("x-ratelimit-reset-after", "3")]);
    assert_eq!(
        server_delay(429, &limited, now),
        Some(Duration::from_secs(3))
    );
    assert_eq!(server_delay(503, &limited, now), None);
    let asked = headers(&[("retry-after", "4"), ("x-ratelimit-reset-after", "3")]);
    assert_eq!(server_delay(503, &asked, now), Some(Duration::from_secs(4)));
    assert_eq!(server_delay(429, &asked, now), Some(Duration::from_secs(4)));
}

#[test]
fn the_policy_decides_from_the_attempt_the_method_and_the_answer() {
    let policy = RetryPolicy::default().without_jitter();
    let answered = |status| Outcome::Answered {
        status,
        server_delay: None,
    };
    // Exponential backoff, capped; no attempt after the last.
    assert_eq!(
        policy.next_delay(1, answered(503), 0.0),
        Some(Duration::from_millis(500))
    );
    assert_eq!(
        policy.next_delay(2, Outcome::NoAnswer, 0.0),
        Some(Duration::from_secs(1))
    );
    assert_eq!(policy.next_delay(3, answered(503), 0.0), None);
    let long = policy.clone().with_max_attempts(40);
    assert_eq!(
        long.next_delay(30, answered(429), 0.0),
        Some(Duration::from_secs(30))
    );
    // Only the listed statuses are retried.
    assert_eq!(policy.next_delay(1, answered(500), 0.0), None);
    assert_eq!(policy.next_delay(1, answered(404), 0.0), None);
    let custom = policy.clone().with_statuses(&[500]);
    assert!(custom.next_delay(1, answered(500), 0.0).is_some());
    assert_eq!(custom.next_delay(1, answered(503), 0.0), None);
    // The server's wait wins over the backoff, up to the cap.
    let asked = |seconds| Outcome::Answered {
        status: 429,
        server_delay: Some(Duration::from_secs(seconds)),
    };
    assert_eq!(
        policy.next_delay(1, asked(7), 0.0),
        Some(Duration::from_secs(7))
    );
    assert_eq!(
        policy.next_delay(1, asked(30), 0.0),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        policy.next_delay(1, asked(90), 0.0),
        None,
        "longer than the policy waits"
    );
    // Even a policy without a limit draws its jitter without overflowing.
    let unbounded = RetryPolicy::default()
        .with_initial_delay(Duration::MAX)
        .with_max_delay(Duration::MAX);
    assert_eq!(
        unbounded.next_delay(2, answered(503), 1.0),
        Some(Duration::MAX)
    );
    // Jitter draws between half and all of the backoff.
    let jittered = RetryPolicy::default();
    assert_eq!(
        jittered.next_delay(2, answered(503), 0.0),
        Some(Duration::from_millis(500))
    );
    assert_eq!(
        jittered.next_delay(2, answered(503), 1.0),
        Some(Duration::from_secs(1))
    );
    // No retries at all.
    assert_eq!(RetryPolicy::none().next_delay(1, answered(503), 0.5), None);

    use api_models::request::http::Method;
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::HEAD] {
        assert!(policy.may_retry("op", &method, false), "{method}");
    }
    assert!(!policy.may_retry("op", &Method::POST, false));
    assert!(!policy.may_retry("op", &Method::PATCH, false));
    assert!(policy.may_retry("op", &Method::POST, true));
    let opted = policy.retry_operation("op");
    assert!(opted.may_retry("op", &Method::POST, false));
    assert!(!opted.may_retry("other", &Method::POST, false));
}

#[tokio::test]
async fn a_transport_error_never_shows_a_key_sent_in_the_query() {
    // Nothing listens on this port once the listener is dropped.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let key = api_models::request::Credential::api_key_query("secretKey", "api_key", "k3y-in-url")
        .expect("key");
    let client = Client::new(Api::new(&dead).expect("url").with_credential(key))
        .with_clock(TestClock::default());
    let err = client.send(&get("m_1")).await.expect_err("no server");
    assert!(
        matches!(err, ApiError::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("k3y-in-url"), "{shown}");
    }
}

/// Found by `cargo xtask wire-check` (Prism's bare `429` for Sakari): an operation whose
/// description documents no error body keeps whatever an error carries, and its status.
#[test]
fn an_error_documented_without_a_body_keeps_its_status_whatever_it_carries() {
    use api_models::request::Operation;
    use api_models::sakari::GetMessage;
    use serde_json::{json, Value};
    let headers = HeaderMap::new();
    let error = |status, body: &[u8]| match GetMessage::decode(status, &headers, body) {
        Err(ApiError::Status { status, body, .. }) => (status, body),
        other => panic!("{other:?}"),
    };
    assert_eq!(error(429, b""), (429, Value::Null));
    assert_eq!(
        error(502, b"<html>Bad gateway</html>"),
        (502, json!("<html>Bad gateway</html>"))
    );
    assert_eq!(
        error(404, br#"{"error": "no"}"#),
        (404, json!({"error": "no"}))
    );
}
