//! Webhook signatures made by independent implementations (the `standardwebhooks`, `stripe`
//! and `twilio` packages, and `cryptography`'s Ed25519), verified by `webhook::Verifier` in a
//! real axum receiver on 127.0.0.1; then each way a request can be wrong, refused with its own
//! error. The signed requests are `fixtures/webhooks/signed.json`, written by
//! `cargo xtask webhook-vectors --write`; `cargo xtask webhook-vectors` signs fresh ones and runs
//! this suite on them (`WEBHOOK_VECTORS`).

mod common;

use api_models::request::http::{HeaderMap, HeaderName, HeaderValue};
use api_models::webhook::{Algorithm, Encoding, HmacBody, Verifier, WebhookError};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// One signed request.
struct Case {
    scheme: String,
    secret: String,
    url: String,
    headers: HeaderMap,
    body: Vec<u8>,
    now: SystemTime,
}

fn cases() -> Vec<Case> {
    let path = std::env::var("WEBHOOK_VECTORS").unwrap_or_else(|_| {
        api_tests::fixtures_dir()
            .join("webhooks/signed.json")
            .display()
            .to_string()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let vectors: Value = serde_json::from_str(&text).expect("JSON");
    vectors["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().expect(k).to_owned();
            let mut headers = HeaderMap::new();
            for (name, value) in c["headers"].as_object().expect("headers") {
                headers.insert(
                    HeaderName::from_bytes(name.as_bytes()).expect("name"),
                    HeaderValue::from_str(value.as_str().expect("text")).expect("value"),
                );
            }
            Case {
                scheme: text("scheme"),
                secret: text("secret"),
                url: text("url"),
                headers,
                body: text("body").into_bytes(),
                now: SystemTime::UNIX_EPOCH + Duration::from_secs(c["now"].as_u64().expect("now")),
            }
        })
        .collect()
}

/// The case's verifier, a decoy secret first (rotation: any secret may match).
fn verifier(case: &Case) -> Verifier {
    match case.scheme.as_str() {
        "standard-webhooks" => Verifier::standard_webhooks(&["whsec_ZGVjb3k=", &case.secret]),
        "stripe" => Verifier::stripe(&["whsec_decoy", &case.secret]),
        "twilio" => Verifier::twilio(&["decoy-token", &case.secret]),
        other => panic!("no scheme `{other}`"),
    }
    .expect("secrets")
}

/// What the receiver was told: its verifier, the public origin the vendor sends to (behind the
/// loopback address), and the time to verify at.
struct Receiver {
    verifier: Verifier,
    origin: String,
    now: SystemTime,
}

async fn receive(State(receiver): State<Arc<Receiver>>, request: Request) -> (StatusCode, String) {
    let url = format!(
        "{}{}",
        receiver.origin,
        request.uri().path_and_query().map_or("/", |p| p.as_str())
    );
    let headers = request.headers().clone();
    let body: Bytes = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .expect("body");
    match receiver
        .verifier
        .verify_at(&url, &headers, &body, receiver.now)
    {
        Ok(_) => (StatusCode::NO_CONTENT, String::new()),
        Err(e) => (StatusCode::UNAUTHORIZED, e.to_string()),
    }
}

#[tokio::test]
async fn independently_signed_webhooks_are_verified_by_a_loopback_receiver() {
    let cases = cases();
    let schemes: Vec<&str> = cases.iter().map(|c| c.scheme.as_str()).collect();
    assert_eq!(
        schemes,
        [
            "standard-webhooks",
            "standard-webhooks",
            "stripe",
            "twilio",
            "twilio",
            "twilio"
        ]
    );
    let http = reqwest::Client::new();
    for case in &cases {
        let public_origin = "https://hooks.example.com";
        let receiver = Arc::new(Receiver {
            verifier: verifier(case),
            origin: public_origin.to_owned(),
            now: case.now,
        });
        let base = common::serve(
            axum::Router::new()
                .fallback(receive)
                .with_state(receiver.clone()),
        )
        .await;
        let target = format!("{base}{}", &case.url[public_origin.len()..]);
        let send = |body: Vec<u8>| {
            http.post(&target)
                .headers(case.headers.clone())
                .body(body)
                .send()
        };
        let answer = send(case.body.clone()).await.expect("an answer");
        assert_eq!(
            answer.status(),
            204,
            "{} {}: {}",
            case.scheme,
            case.url,
            answer.text().await.unwrap_or_default()
        );
        // The same request with one byte of the body changed is refused.
        let mut tampered = case.body.clone();
        tampered[10] ^= 1;
        let answer = send(tampered).await.expect("an answer");
        assert_eq!(answer.status(), 401, "{}", case.scheme);
        assert_eq!(
            answer.text().await.expect("text"),
            "no signature of the webhook matches its body"
        );
    }
}

#[test]
fn each_way_a_webhook_is_wrong_has_its_own_error() {
    for case in &cases() {
        let check = |verifier: &Verifier, body: &[u8], now: SystemTime| {
            verifier.verify_at(&case.url, &case.headers, body, now)
        };
        let scheme = &case.scheme;
        let verified = check(&verifier(case), &case.body, case.now).expect(scheme);
        let timestamped = scheme != "twilio";
        assert_eq!(verified.timestamp.is_some(), timestamped, "{scheme}");

        // Tampered body, and the wrong secret.
        let mut tampered = case.body.clone();
        tampered.push(b' ');
        assert_eq!(
            check(&verifier(case), &tampered, case.now),
            Err(WebhookError::BadSignature),
            "{scheme}"
        );
        let wrong = match scheme.as_str() {
            "standard-webhooks" if case.secret.starts_with("whpk_") => {
                // Another Ed25519 public key (RFC 8032's first test key).
                Verifier::standard_webhooks(&["whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="])
            }
            "standard-webhooks" => Verifier::standard_webhooks(&["whsec_d3Jvbmc="]),
            "stripe" => Verifier::stripe(&["whsec_wrong"]),
            _ => Verifier::twilio(&["wrong-token"]),
        }
        .expect("secret");
        assert_eq!(
            check(&wrong, &case.body, case.now),
            Err(WebhookError::BadSignature),
            "{scheme}"
        );

        // Oversize bodies are refused before anything is computed.
        let small = verifier(case).with_max_body(case.body.len() - 1);
        assert_eq!(
            check(&small, &case.body, case.now),
            Err(WebhookError::TooLarge {
                limit: case.body.len() - 1
            }),
            "{scheme}"
        );

        // A timestamp outside the window (five minutes by default, settable).
        if timestamped {
            let later = case.now + Duration::from_secs(301);
            assert_eq!(
                check(&verifier(case), &case.body, later),
                Err(WebhookError::Stale { age: 301 }),
                "{scheme}"
            );
            let wide = verifier(case).with_window(Duration::from_secs(600));
            assert!(check(&wide, &case.body, later).is_ok(), "{scheme}");
            let early = case.now - Duration::from_secs(400);
            assert_eq!(
                check(&verifier(case), &case.body, early),
                Err(WebhookError::Stale { age: -400 }),
                "{scheme}"
            );
        }

        // Standard Webhooks has a message id: one received already is refused.
        if scheme == "standard-webhooks" {
            let once = verifier(case);
            let id = verified.id.clone().expect("an id");
            assert!(check(&once, &case.body, case.now).is_ok());
            assert_eq!(
                check(&once, &case.body, case.now),
                Err(WebhookError::Replayed { id }),
            );
        }

        // No error says a secret or a signature: neither those above nor the verifier's `Debug`.
        let mut shown: Vec<String> = [
            check(&wrong, &case.body, case.now),
            check(&verifier(case), &tampered, case.now),
            check(&small, &case.body, case.now),
            check(
                &verifier(case),
                &case.body,
                case.now + Duration::from_secs(301),
            ),
        ]
        .into_iter()
        .filter_map(Result::err)
        .map(|e| format!("{e} {e:?}"))
        .collect();
        shown.push(format!("{:?}", verifier(case)));
        let signature_headers = [
            "webhook-signature",
            "stripe-signature",
            "x-twilio-signature",
        ];
        for text in &shown {
            assert!(!text.contains(&case.secret), "{text}");
            for name in signature_headers {
                if let Some(value) = case.headers.get(name) {
                    // The signature itself: after the last `,` or `=` its padding aside.
                    let value = value.to_str().expect("text").trim_end_matches('=');
                    let signature = value.rsplit([',', '=']).next().unwrap_or(value);
                    assert!(signature.len() > 16, "{value}");
                    assert!(!text.contains(signature), "{text}");
                }
            }
        }
    }
}

/// Twilio's body is covered by the form parameters or by the URL's `bodySHA256`, whatever the
/// request says its type is: a JSON request passed off as an empty form is refused, and so is a
/// body that nothing covers.
#[test]
fn a_twilio_body_is_always_covered() {
    let cases = cases();
    let json = cases
        .iter()
        .find(|c| c.scheme == "twilio" && c.url.contains("bodySHA256"))
        .expect("a JSON case");
    let mut as_form = json.headers.clone();
    as_form.insert(
        "content-type",
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    for body in [&b""[..], b"&&", b"="] {
        assert_eq!(
            verifier(json).verify_at(&json.url, &as_form, body, json.now),
            Err(WebhookError::BadSignature)
        );
    }
    // The same signature on the URL without its `bodySHA256`: nothing covers a body.
    let bare = json.url.split('?').next().expect("url");
    assert_eq!(
        verifier(json).verify_at(bare, &json.headers, &json.body, json.now),
        Err(WebhookError::Malformed(
            "body is neither a form nor covered by `bodySHA256`"
        ))
    );
    // A form's content type is read whatever its case.
    let form = cases
        .iter()
        .find(|c| c.scheme == "twilio" && !c.url.contains("bodySHA256"))
        .expect("a form case");
    let mut upper = form.headers.clone();
    upper.insert(
        "content-type",
        HeaderValue::from_static("Application/X-WWW-Form-Urlencoded; charset=utf-8"),
    );
    assert!(verifier(form)
        .verify_at(&form.url, &upper, &form.body, form.now)
        .is_ok());
}

/// A sender's retry of a message (same id, new timestamp, new signature) passes; the same request
/// again is a replay. Offering many signatures is refused before any is computed.
#[test]
fn retries_pass_replays_do_not_and_signatures_are_bounded() {
    let case = &cases()[0];
    let once = verifier(case);
    let at = |headers: &HeaderMap, now| once.verify_at(&case.url, headers, &case.body, now);
    assert!(at(&case.headers, case.now).is_ok());
    assert!(matches!(
        at(&case.headers, case.now),
        Err(WebhookError::Replayed { .. })
    ));
    let mut many = case.headers.clone();
    let entries = vec!["v1,AAAA"; 17].join(" ");
    many.insert(
        "webhook-signature",
        HeaderValue::from_str(&entries).expect("value"),
    );
    assert_eq!(
        verifier(case).verify_at(&case.url, &many, &case.body, case.now),
        Err(WebhookError::Malformed("signatures are too many"))
    );
}

#[test]
fn a_missing_or_malformed_header_is_named() {
    let case = &cases()[0];
    let verifier = verifier(case);
    let mut headers = case.headers.clone();
    headers.remove("webhook-id");
    assert_eq!(
        verifier.verify_at(&case.url, &headers, &case.body, case.now),
        Err(WebhookError::MissingHeader("webhook-id"))
    );
    let mut headers = case.headers.clone();
    headers.insert("webhook-timestamp", HeaderValue::from_static("soon"));
    assert_eq!(
        verifier.verify_at(&case.url, &headers, &case.body, case.now),
        Err(WebhookError::Malformed(
            "`webhook-timestamp` is not whole seconds"
        ))
    );
    assert_eq!(
        Verifier::standard_webhooks(&["whsec_!!"]).map(|_| ()),
        Err(WebhookError::BadSecret("secret: not base64"))
    );
}

/// An HMAC of the body in a header of one's choosing (GitHub's `X-Hub-Signature-256` layout), held
/// to the HMAC-SHA256 and HMAC-SHA512 values RFC 4231 publishes.
#[test]
fn an_hmac_of_the_body_in_a_named_header() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    let body = b"what do ya want for nothing?";
    let sha256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    let sha512 = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";
    let how = |algorithm, encoding, prefix: Option<&str>| HmacBody {
        header: "x-hub-signature-256".into(),
        algorithm,
        encoding,
        prefix: prefix.map(str::to_owned),
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-hub-signature-256",
        HeaderValue::from_str(&format!("sha256={sha256}")).expect("value"),
    );
    let verifier = Verifier::hmac_body(
        how(Algorithm::Sha256, Encoding::Hex, Some("sha256=")),
        &["Jefe"],
    )
    .expect("secret");
    assert!(verifier.verify("https://x", &headers, body).is_ok());
    assert_eq!(
        verifier.verify("https://x", &headers, b"what do ya want for something?"),
        Err(WebhookError::BadSignature)
    );
    let no_prefix = Verifier::hmac_body(
        how(Algorithm::Sha256, Encoding::Hex, Some("v0=")),
        &["Jefe"],
    )
    .expect("secret");
    assert_eq!(
        no_prefix.verify("https://x", &headers, body),
        Err(WebhookError::Malformed("signature lacks its prefix"))
    );
    headers.insert("x-hub-signature-256", HeaderValue::from_static(sha512));
    let verifier = Verifier::hmac_body(how(Algorithm::Sha512, Encoding::Hex, None), &["Jefe"])
        .expect("secret");
    assert!(verifier.verify("https://x", &headers, body).is_ok());
}

/// Wide enough for the committed vectors, whatever today's date: the replay window is held to
/// five minutes by the tests above, and these test what is read once a request is verified.
const ANY_TIME: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// Standard Webhooks requests signed by the `standardwebhooks` package (HMAC) and by
/// `cryptography` (Ed25519), received with the verifier the document's `x-webhook-signature`
/// names, and read as the typed event their `type` tells, with their declared headers.
#[test]
fn independently_signed_events_are_received_typed() {
    use api_tests::wire::webhooks::{Event, EventKind, MessageReceivedHeaders};
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.scheme == "standard-webhooks")
        .collect();
    assert_eq!(cases.len(), 2);
    for case in &cases {
        let verifier = api_tests::wire::webhooks::verifier(&["whsec_ZGVjb3k=", &case.secret])
            .expect("secrets");
        let received = verifier
            .receive_at(
                &case.url,
                &case.headers,
                &case.body,
                case.now,
                Event::from_body,
            )
            .expect("verified and decoded");
        let Event::MessageReceived(event) = &received.event else {
            panic!("not a received message: {:?}", received.event);
        };
        assert_eq!(event.data.message, "Is my parcel on its way? Ünïcode too");
        assert_eq!(
            event
                .data
                .contact
                .as_ref()
                .and_then(|c| c.mobile.as_ref())
                .and_then(|m| m.number.as_deref()),
            Some("+15555550123")
        );
        assert_eq!(
            event.data.created.as_ref().map(ToString::to_string),
            Some("2024-05-15T10:00:00Z".to_owned())
        );
        assert_eq!(received.event.kind(), Some(EventKind::MessageReceived));
        let headers = MessageReceivedHeaders::from(&case.headers);
        assert_eq!(headers.webhook_id, received.verified.id);
        assert_eq!(headers.webhook_timestamp, received.verified.timestamp);

        // Tampered: refused, and nothing decoded.
        let mut tampered = case.body.clone();
        tampered.push(b' ');
        assert!(matches!(
            verifier.receive_at(
                &case.url,
                &case.headers,
                &tampered,
                case.now,
                Event::from_body
            ),
            Err(api_models::webhook::ReceiveError::Refused(
                WebhookError::BadSignature
            ))
        ));
    }
}

/// An event the document does not list is kept whole; one that does not decode names the event
/// and the path; a body that is no JSON cannot be told apart.
#[test]
fn unknown_events_are_kept_and_undecodable_ones_say_where() {
    use api_tests::wire::webhooks::{Event, EventKind};
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_static("msg_1"));
    let body = br#"{"type":"message.deleted","data":{"id":"m1"}}"#;
    let Event::Other(unknown) = Event::from_body(&headers, body).expect("kept") else {
        panic!("an unlisted event is `Other`");
    };
    assert_eq!(unknown.name.as_deref(), Some("message.deleted"));
    assert_eq!(unknown.body, body);
    assert_eq!(unknown.headers, headers);
    // Its `Debug` names the headers, never their values (a signature is one of them).
    let shown = format!("{unknown:?}");
    assert!(
        shown.contains("webhook-id") && !shown.contains("msg_1"),
        "{shown}"
    );
    let untyped = br#"{"data":{}}"#;
    let Ok(Event::Other(unknown)) = Event::from_body(&headers, untyped) else {
        panic!("an event without `type` is `Other`");
    };
    assert_eq!(unknown.name, None);
    // By name (a URL per event): an unknown name is kept too.
    let Ok(Event::Other(unknown)) = Event::decode_named("messageDeleted", &headers, body) else {
        panic!("an unlisted name is `Other`");
    };
    assert_eq!(unknown.name.as_deref(), Some("messageDeleted"));
    let status = br#"{"type":"message.status","data":{"id":"m1","status":"delivered"}}"#;
    let event = Event::decode_named("messageStatus", &headers, status).expect("decodes");
    assert_eq!(event.kind(), Some(EventKind::MessageStatus));
    assert_eq!(EventKind::from_name("messageStatus"), event.kind());
    assert_eq!(EventKind::MessageStatus.name(), "messageStatus");
    assert_eq!(EventKind::ALL.len(), 2);

    let wrong = br#"{"type":"message.received","data":{"id":"m1","message":7}}"#;
    let error = Event::from_body(&headers, wrong).expect_err("does not decode");
    assert_eq!(
        error.to_string(),
        "the `messageReceived` event's payload does not decode at `data.message` (invalid type: \
         integer `7`, expected a string at line 1 column 56)"
    );
    let error = Event::from_body(&headers, b"To=%2B1555").expect_err("no JSON");
    assert!(
        matches!(error, api_models::event::EventError::NoTag { .. }),
        "{error}"
    );
    // Decoding by kind does not look at the tag: the URL said which event it is.
    let error = Event::decode(EventKind::MessageStatus, &headers, wrong).expect_err("not a status");
    assert!(
        error
            .to_string()
            .starts_with("the `messageStatus` event's payload does not decode at `data`"),
        "{error}"
    );
}

/// Twilio's form-encoded inbound message, signed by the `twilio` package's request validator,
/// received with the verifier `x-webhook-signature: twilio` names and read as a typed callback:
/// a repeated name is an array (in the order sent), a number reads as one.
#[test]
fn a_form_encoded_callback_is_received_typed() {
    use api_tests::inbound::webhooks::{Event, EventKind};
    let case = cases()
        .into_iter()
        .find(|c| {
            c.scheme == "twilio"
                && !c.url.contains("bodySHA256")
                && !c
                    .headers
                    .contains_key("x-twilio-webhooks-signature-settings")
        })
        .expect("a form signed with the auth token");
    let verifier = api_tests::inbound::webhooks::verifier(&[&case.secret]).expect("token");
    let received = verifier
        .receive_at(&case.url, &case.headers, &case.body, case.now, |h, b| {
            Event::decode(EventKind::InboundSms, h, b)
        })
        .expect("verified and decoded");
    let Event::InboundSms(sms) = received.event else {
        panic!("an inbound SMS");
    };
    assert!(sms.message_sid.starts_with("SM"));
    assert_eq!(sms.from, "+15555550123");
    assert_eq!(sms.to, "+15555550100");
    assert_eq!(
        sms.body.as_deref(),
        Some("Is my parcel on its way? Ünïcode too")
    );
    assert_eq!(sms.num_media, Some(2));
    assert_eq!(
        sms.media_url,
        Some(vec![
            "https://media.example.com/b.jpg".to_owned(),
            "https://media.example.com/a.jpg".to_owned()
        ])
    );
    assert_eq!(sms.tag, Some(vec!["x".to_owned(), "x".to_owned()]));
    // Fields the schema does not list (Twilio sends a score of them) are kept, as text, or as
    // an array when repeated.
    let body = b"MessageSid=SM1&From=a&To=b&AccountSid=AC9&SmsStatus=received&Media=x&Media=y";
    let Ok(Event::InboundSms(sms)) = Event::decode(EventKind::InboundSms, &case.headers, body)
    else {
        panic!("decodes with unlisted fields");
    };
    assert_eq!(
        sms.extra.get("AccountSid").map(|v| v.get()),
        Some(r#""AC9""#)
    );
    assert_eq!(
        sms.extra.get("Media").map(|v| v.get()),
        Some(r#"["x","y"]"#)
    );
    // A field that does not read as its type is named.
    let error = Event::decode(
        EventKind::InboundSms,
        &case.headers,
        b"MessageSid=SM1&From=a&To=b&NumMedia=two",
    )
    .expect_err("not a number");
    assert_eq!(
        error.to_string(),
        "the `inboundSms` event's payload does not decode at `NumMedia` (`two` is not an integer)"
    );
    let error = Event::decode(
        EventKind::InboundSms,
        &case.headers,
        b"MessageSid=SM1&From=a&From=b&To=c",
    )
    .expect_err("two senders");
    assert!(
        error
            .to_string()
            .contains("at `From` (2 values given for a single one)"),
        "{error}"
    );
}

async fn typed_receiver(
    webhook: api_models::webhook::extract::VerifiedWebhook,
) -> (StatusCode, String) {
    use api_tests::wire::webhooks::Event;
    match Event::from_body(&webhook.headers, &webhook.body) {
        Ok(Event::MessageReceived(event)) => (StatusCode::OK, event.data.message),
        Ok(other) => (StatusCode::OK, format!("{:?}", other.kind())),
        // Verified, but not one of these JSON events (Twilio's form).
        Err(e) => (StatusCode::OK, e.to_string()),
    }
}

/// The axum extractor: a receiver is a handler taking `VerifiedWebhook`, with the verifier in the
/// router's state; what fails verification never reaches it, and is answered with its status.
#[tokio::test]
async fn the_axum_extractor_lets_only_verified_requests_through() {
    let cases = cases();
    let http = reqwest::Client::new();
    for case in &cases {
        let public_origin = "https://hooks.example.com";
        let verifier = Arc::new(
            verifier(case)
                .with_window(ANY_TIME)
                .with_public_url(public_origin),
        );
        let app = axum::Router::new()
            .fallback(typed_receiver)
            .with_state(verifier);
        let base = common::serve(app).await;
        let target = format!("{base}{}", &case.url[public_origin.len()..]);
        let send = |body: Vec<u8>, headers: HeaderMap| {
            http.post(&target).headers(headers).body(body).send()
        };
        let answer = send(case.body.clone(), case.headers.clone())
            .await
            .expect("an answer");
        let status = answer.status();
        let text = answer.text().await.expect("text");
        assert_eq!(status, 200, "{} {}: {text}", case.scheme, case.url);
        if case.headers["content-type"] == "application/json" {
            assert_eq!(text, "Is my parcel on its way? Ünïcode too");
        }
        let mut tampered = case.body.clone();
        tampered[10] ^= 1;
        let answer = send(tampered, case.headers.clone())
            .await
            .expect("an answer");
        assert_eq!(answer.status(), 401, "{}", case.scheme);
        let mut headers = case.headers.clone();
        let signature = headers
            .keys()
            .find(|k| k.as_str().ends_with("signature"))
            .cloned()
            .expect("a signature header");
        headers.remove(&signature);
        let answer = send(case.body.clone(), headers).await.expect("an answer");
        assert_eq!(answer.status(), 400, "{}", case.scheme);
        if case.scheme == "standard-webhooks" {
            // The same request again: a replay.
            let answer = send(case.body.clone(), case.headers.clone())
                .await
                .expect("an answer");
            assert_eq!(answer.status(), 401);
            assert!(answer.text().await.expect("text").contains("already"));
        }
    }
    // A body over the verifier's limit: 413, before anything is verified.
    let case = &cases[0];
    let verifier = Arc::new(verifier(case).with_window(ANY_TIME).with_max_body(16));
    let base = common::serve(
        axum::Router::new()
            .fallback(typed_receiver)
            .with_state(verifier),
    )
    .await;
    let answer = http
        .post(format!("{base}/webhooks"))
        .headers(case.headers.clone())
        .body(case.body.clone())
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 413);
}
