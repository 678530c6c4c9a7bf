//! Requests on the wire, read back by decoders that share no code with the generator: every
//! request of `fixtures/wire/wire.json` (a Stripe-shaped form body, a multipart upload, deepObject
//! query parameters, a `204`, a public operation, a body in two media types) and Chatwoot's
//! `createMessage` go through the `client` feature to an axum server on 127.0.0.1; the server
//! records what it received, and the test decodes that with `serde_qs`, `multer` and `serde_json`.

mod common;

use api_models::chatwoot;
use api_models::client::Client;
use api_models::request::{Api, ApiError, Part};
use api_tests::wire::{self, create_customer, put_note};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    query: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

#[derive(Clone, Default)]
struct Server {
    received: Arc<Mutex<Vec<Received>>>,
}

async fn record(State(server): State<Server>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.expect("body");
    server.received.lock().expect("lock").push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: body.to_vec(),
    });
    let (status, content_type, body): (u16, &str, Vec<u8>) =
        match (parts.method.as_str(), parts.uri.path()) {
            ("GET", "/v1/notes/n_1") => (200, "text/plain", "a note, in plain text".into()),
            ("GET", "/v1/quotes/q_1/pdf") => (
                200,
                "application/pdf",
                b"%PDF-1.7\n\xe2\xe3\xcf\xd3".to_vec(),
            ),
            ("POST", "/v1/refunds") => match parts.uri.query().unwrap_or_default() {
                "mode=queued" => (202, "application/json", br#"{"queue_position":3}"#.to_vec()),
                "mode=nothing" => (204, "", Vec::new()),
                "mode=partial" => (206, "application/json", br#"{"part":1}"#.to_vec()),
                "mode=broken" => (
                    200,
                    "application/json",
                    br#"{"id":"re_1","amount":null}"#.to_vec(),
                ),
                "mode=refused" => (
                    402,
                    "application/json",
                    br#"{"message":"card declined"}"#.to_vec(),
                ),
                _ => (
                    200,
                    "application/json",
                    br#"{"id":"re_1","amount":500}"#.to_vec(),
                ),
            },
            (method, path) => {
                let (status, body) = json_answer(method, path);
                (status, "application/json", body.into_bytes())
            }
        };
    let mut response = Response::builder().status(status);
    if !content_type.is_empty() {
        response = response.header("content-type", content_type);
    }
    response.body(Body::from(body)).expect("response")
}

/// The JSON answers of the request-side operations.
fn json_answer(method: &str, path: &str) -> (u16, String) {
    match (method, path) {
        ("DELETE", _) | ("PUT", _) => (204, String::new()),
        ("POST", "/v1/customers") => (200, r#"{"id":"cus_1","email":"a@b.c"}"#.to_owned()),
        ("POST", path) if path.contains("/messages") => (
            200,
            r#"{"id":9,"content":"Hello","conversation_id":1842,"message_type":1,"created_at":1715767200,"private":null,"template":null}"#
                .to_owned(),
        ),
        _ => (200, "{}".to_owned()),
    }
}

/// Starts the server on a random loopback port; returns its base URL.
async fn start(server: Server) -> String {
    common::serve(axum::Router::new().fallback(record).with_state(server)).await
}

fn last(server: &Server) -> Received {
    server
        .received
        .lock()
        .expect("lock")
        .last()
        .cloned()
        .expect("a request was received")
}

/// The form body as Stripe's server side reads it (`serde_qs`, bracket form).
#[derive(Debug, Deserialize, PartialEq)]
struct CustomerForm {
    email: String,
    description: String,
    tax_exempt: String,
    balance: i64,
    address: BTreeMap<String, String>,
    expand: Vec<String>,
    items: Vec<ItemForm>,
    metadata: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ItemForm {
    price: String,
    quantity: Option<u32>,
}

/// Non-strict: brackets may come percent-encoded, as form encoding sends them.
fn qs() -> serde_qs::Config {
    serde_qs::Config::new(5, false)
}

#[tokio::test]
async fn a_stripe_shaped_form_body_decodes_with_serde_qs() {
    let server = Server::default();
    let base = start(server.clone()).await;
    let client = Client::new(
        wire::api("sk_test")
            .and_then(|api| api.with_base_url(&base))
            .expect("api"),
    );
    let body = wire::CreateCustomerBody {
        email: "a@b.c".into(),
        description: Some("Ann & Bob = 100% \"friends\"".into()),
        tax_exempt: Some(wire::CreateCustomerBodyTaxExempt::Reverse),
        balance: Some(-250),
        address: Some(wire::CreateCustomerBodyAddress {
            line1: Some("1 Main St".into()),
            city: Some("Zürich".into()),
            ..Default::default()
        }),
        expand: Some(vec!["customer".into(), "invoice.subscription".into()]),
        items: Some(vec![
            wire::CreateCustomerBodyItemsItem {
                price: "price_1".into(),
                quantity: Some(2),
                extra: Default::default(),
            },
            wire::CreateCustomerBodyItemsItem {
                price: "price_2".into(),
                quantity: None,
                extra: Default::default(),
            },
        ]),
        metadata: Some(BTreeMap::from([
            ("order".to_owned(), "6735".to_owned()),
            ("note".to_owned(), "a[b]=c".to_owned()),
        ])),
        preferred_locales: None,
    };
    let op = create_customer::CreateCustomer::builder()
        .body(body)
        .build()
        .expect("valid");
    let customer = client.send(&op).await.expect("sent");
    assert_eq!(customer.id, "cus_1");

    let got = last(&server);
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", "/v1/customers")
    );
    assert_eq!(
        got.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(got.headers["authorization"], "Bearer sk_test");
    let text = String::from_utf8(got.body.clone()).expect("UTF-8");
    // Arrays of scalars in the `[]` form, arrays of objects indexed, maps and objects in brackets.
    assert!(
        text.contains("expand%5B%5D=customer&expand%5B%5D=invoice.subscription"),
        "{text}"
    );
    assert!(
        text.contains("items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2"),
        "{text}"
    );
    assert!(text.contains("metadata%5Border%5D=6735"), "{text}");
    // Spaces as `+`, reserved characters percent-encoded (form rules); absent fields not sent.
    assert!(
        text.contains("description=Ann+%26+Bob+%3D+100%25+%22friends%22"),
        "{text}"
    );
    assert!(!text.contains("preferred_locales"), "{text}");
    let form: CustomerForm = qs()
        .deserialize_bytes(&got.body)
        .expect("serde_qs reads it");
    assert_eq!(
        form,
        CustomerForm {
            email: "a@b.c".into(),
            description: "Ann & Bob = 100% \"friends\"".into(),
            tax_exempt: "reverse".into(),
            balance: -250,
            address: BTreeMap::from([
                ("city".to_owned(), "Zürich".to_owned()),
                ("line1".to_owned(), "1 Main St".to_owned()),
            ]),
            expand: vec!["customer".into(), "invoice.subscription".into()],
            items: vec![
                ItemForm {
                    price: "price_1".into(),
                    quantity: Some(2)
                },
                ItemForm {
                    price: "price_2".into(),
                    quantity: None
                },
            ],
            metadata: BTreeMap::from([
                ("note".to_owned(), "a[b]=c".to_owned()),
                ("order".to_owned(), "6735".to_owned()),
            ]),
        }
    );
}

#[derive(Debug, Deserialize, PartialEq)]
struct ChargesQuery {
    created: BTreeMap<String, i64>,
    expand: Vec<String>,
    limit: u32,
    tags: String,
}

#[tokio::test]
async fn deep_object_query_parameters_decode_with_serde_qs() {
    let server = Server::default();
    let base = start(server.clone()).await;
    let client = Client::new(
        wire::api("sk_test")
            .and_then(|api| api.with_base_url(&base))
            .expect("api"),
    );
    let range = wire::RangeQuerySpecs {
        gte: Some(1_700_000_000),
        lt: Some(1_800_000_000),
        ..Default::default()
    };
    let op = wire::ListCharges::builder()
        .created(wire::ListChargesCreated::RangeQuerySpecs(Box::new(range)))
        .expand(vec!["data.customer".into()])
        .limit(3)
        .tags(vec!["a".into(), "b c".into()])
        .build()
        .expect("valid");
    client.send(&op).await.expect("sent");
    let got = last(&server);
    assert_eq!(
        got.query,
        "created%5Bgte%5D=1700000000&created%5Blt%5D=1800000000&expand%5B%5D=data.customer&limit=3&tags=a%2Cb%20c"
    );
    let query: ChargesQuery = qs().deserialize_str(&got.query).expect("serde_qs");
    assert_eq!(
        query,
        ChargesQuery {
            created: BTreeMap::from([
                ("gte".to_owned(), 1_700_000_000),
                ("lt".to_owned(), 1_800_000_000)
            ]),
            expand: vec!["data.customer".into()],
            limit: 3,
            tags: "a,b c".into(),
        }
    );
    // The other branch of the union is a plain value.
    let op = wire::ListCharges::builder()
        .created(wire::ListChargesCreated::Integer(1_700_000_000))
        .build()
        .expect("valid");
    client.send(&op).await.expect("sent");
    assert_eq!(last(&server).query, "created=1700000000");
}

#[tokio::test]
async fn a_multipart_upload_decodes_with_multer() {
    let server = Server::default();
    let base = start(server.clone()).await;
    let client = Client::new(
        wire::api("sk_test")
            .and_then(|api| api.with_base_url(&base))
            .expect("api"),
    );
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n--not-a-boundary\r\n\x00\xff".to_vec();
    let body = wire::UploadFileBody {
        file: Part::file(png.clone(), "evidence \"1\".png", "image/png"),
        purpose: wire::UploadFileBodyPurpose::DisputeEvidence,
        expand: Some(vec!["links".into()]),
        file_link_data: Some(wire::UploadFileBodyFileLinkData {
            create: true,
            expires_at: Some(1_900_000_000),
            extra: Default::default(),
        }),
    };
    let op = wire::UploadFile::builder()
        .body(body)
        .build()
        .expect("valid");
    client.send(&op).await.expect("sent");
    let got = last(&server);
    let content_type = &got.headers["content-type"];
    let boundary = multer::parse_boundary(content_type).expect("a multipart content type");
    let bytes = Bytes::from(got.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed part") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        let data = field.bytes().await.expect("the part's bytes");
        fields.push((name, file_name, content_type, data.to_vec()));
    }
    let text = |value: &str| value.as_bytes().to_vec();
    assert_eq!(
        fields,
        vec![
            (
                "file".into(),
                Some("evidence %221%22.png".into()),
                Some("image/png".into()),
                png
            ),
            ("purpose".into(), None, None, text("dispute_evidence")),
            ("expand[]".into(), None, None, text("links")),
            ("file_link_data[create]".into(), None, None, text("true")),
            (
                "file_link_data[expires_at]".into(),
                None,
                None,
                text("1900000000")
            ),
        ]
    );
}

#[tokio::test]
async fn no_content_public_operations_and_a_choice_of_media_types() {
    let server = Server::default();
    let base = start(server.clone()).await;
    let client = Client::new(
        wire::api("sk_test")
            .and_then(|api| api.with_base_url(&base))
            .expect("api"),
    );

    // 204: the success type is `()`.
    let op = wire::DeleteCustomer::builder()
        .customer("cus/1")
        .build()
        .expect("valid");
    let () = client.send(&op).await.expect("204 is success");
    let got = last(&server);
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("DELETE", "/v1/customers/cus%2F1")
    );
    assert!(got.body.is_empty());

    // `security: []`: no credentials are sent, even when the API holds some.
    client
        .send(&wire::Health::builder().build().expect("valid"))
        .await
        .expect("sent");
    assert!(!last(&server).headers.contains_key("authorization"));
    let anonymous = Client::new(Api::new(&base).expect("api"));
    anonymous
        .send(&wire::Health::builder().build().expect("valid"))
        .await
        .expect("sent");
    // …while an operation that needs credentials refuses to go without them.
    let op = wire::DeleteCustomer::builder()
        .customer("cus_1")
        .build()
        .expect("valid");
    let err = anonymous.send(&op).await.expect_err("no credentials");
    assert_eq!(
        err.to_string(),
        "`deleteCustomer` needs credentials for `secretKey`: add them with `Api::with_credential`"
    );

    // One body, two media types: the caller picks; a union path parameter is sent as its value.
    let json = put_note::Body::Json(wire::PutNoteJsonBody {
        text: Some("hi".into()),
        ..Default::default()
    });
    let op = wire::PutNote::builder()
        .note(wire::PutNoteNote::Integer(7))
        .body(json)
        .build()
        .expect("valid");
    client.send(&op).await.expect("sent");
    let got = last(&server);
    assert_eq!(got.path, "/v1/notes/7");
    assert_eq!(got.headers["content-type"], "application/json");
    let value: serde_json::Value = serde_json::from_slice(&got.body).expect("JSON");
    assert_eq!(value, serde_json::json!({"text": "hi"}));
    let op = wire::PutNote::builder()
        .note(wire::PutNoteNote::String("n 1".into()))
        .body(put_note::Body::Text("plain text".into()))
        .build()
        .expect("valid");
    client.send(&op).await.expect("sent");
    let got = last(&server);
    assert_eq!(got.path, "/v1/notes/n%201");
    assert_eq!(got.headers["content-type"], "text/plain");
    assert_eq!(got.body, b"plain text");
    // The body of this operation is optional: left out, none is sent.
    let op = wire::PutNote::builder()
        .note(wire::PutNoteNote::Integer(8))
        .build()
        .expect("valid");
    client.send(&op).await.expect("sent");
    let got = last(&server);
    assert!(got.body.is_empty() && !got.headers.contains_key("content-type"));
}

#[tokio::test]
async fn text_binary_and_several_success_answers_decode_by_status() {
    use wire::create_refund::Response as Refund;
    let server = Server::default();
    let base = start(server.clone()).await;
    let client = Client::new(
        wire::api("sk_test")
            .and_then(|api| api.with_base_url(&base))
            .expect("api"),
    );

    // `text/plain` reads as a `String`, `application/pdf` as the bytes received.
    let prefs = wire::GetNotePrefs {
        lang: Some("en".into()),
        tz: Some("Europe/Paris".into()),
        extra: Default::default(),
    };
    let op = wire::GetNote::builder()
        .note("n_1")
        .session("s 1;x")
        .prefs(prefs)
        .build()
        .expect("valid");
    let text: String = client.send(&op).await.expect("text");
    assert_eq!(text, "a note, in plain text");
    // Cookie parameters: one `Cookie` header, values percent-encoded, an object in the form
    // style without explode (`name=key,value,key,value`).
    let cookie = &last(&server).headers["cookie"];
    let pairs: Vec<(&str, String)> = cookie
        .split("; ")
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            (name, value.into_owned())
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("session", "s 1;x".to_owned()),
            ("prefs", "lang,en,tz,Europe/Paris".to_owned())
        ]
    );
    let op = wire::GetQuotePdf::builder()
        .quote("q_1")
        .build()
        .expect("valid");
    let pdf: Vec<u8> = client.send(&op).await.expect("bytes");
    assert_eq!(pdf, b"%PDF-1.7\n\xe2\xe3\xcf\xd3");

    // 200, 202 and 204 carry different bodies: each status is its own variant.
    let refund = |mode: &str| {
        wire::CreateRefund::builder()
            .mode(mode)
            .build()
            .expect("valid")
    };
    let got = client.send(&refund("full")).await.expect("200");
    assert_eq!(
        got,
        Refund::Status200(wire::Refund {
            id: "re_1".into(),
            amount: 500,
            extra: Default::default(),
        })
    );
    let Refund::Status202(queued) = client.send(&refund("queued")).await.expect("202") else {
        panic!("a 202 answer is the 202 variant");
    };
    assert_eq!(queued.queue_position, 3);
    assert_eq!(
        client.send(&refund("nothing")).await.expect("204"),
        Refund::Status204
    );
    // A 2xx the document does not list keeps its status and bytes.
    assert_eq!(
        client.send(&refund("partial")).await.expect("206"),
        Refund::Other {
            status: 206,
            body: br#"{"part":1}"#.to_vec()
        }
    );
    // An error answer is the documented error body.
    match client.send(&refund("refused")).await {
        Err(ApiError::Status {
            status: 402, body, ..
        }) => {
            assert_eq!(body.message.as_deref(), Some("card declined"))
        }
        other => panic!("expected the 402 error body, got {other:?}"),
    }
    // A body that does not decode names the place that is wrong, and keeps the bytes.
    let err = client
        .send(&refund("broken"))
        .await
        .expect_err("null amount");
    assert_eq!(
        err.to_string(),
        "the 200 answer does not decode at `amount` (invalid type: null, expected i64 at line 1 \
         column 26); 27 bytes kept"
    );
}

#[tokio::test]
async fn chatwoot_create_message_sends_its_json_body_with_either_credential() {
    let server = Server::default();
    let base = start(server.clone()).await;
    let bot = chatwoot::credentials::agent_bot_api_key("bot-token").expect("valid");
    let api = Api::new(&base).expect("api").with_credential(bot);
    let client = Client::new(api);
    let body = chatwoot::MessageCreate {
        content: "Hello".into(),
        message_type: Some(chatwoot::MessageCreateMessageType::Outgoing),
        private: Some(false),
        content_type: None,
        content_attributes: None,
        campaign_id: None,
        template_params: None,
        extra: Default::default(),
    };
    let op = chatwoot::CreateMessage::builder()
        .account_id(1)
        .conversation_id(1842)
        .body(body)
        .build()
        .expect("valid");
    // The answer carries `"private": null`, which the schema does not allow: read as absent.
    let message = client.send(&op).await.expect("sent");
    assert_eq!(message.id, 9);
    assert_eq!(message.private, None);
    assert_eq!(message.message_type, chatwoot::MessageType::Outgoing);
    let got = last(&server);
    assert_eq!(got.path, "/api/v1/accounts/1/conversations/1842/messages");
    assert_eq!(got.headers["content-type"], "application/json");
    assert_eq!(got.headers["api_access_token"], "bot-token");
    let value: serde_json::Value = serde_json::from_slice(&got.body).expect("JSON");
    assert_eq!(
        value,
        serde_json::json!({"content": "Hello", "message_type": "outgoing", "private": false})
    );
}

/// Found by `cargo xtask wire-check` on Stripe's document: an operation's own `servers` were
/// dropped, and its requests went to the API's host. They go to the operation's server while the
/// `Api` is at the document's, and wherever the `Api` was pointed otherwise.
#[test]
fn an_operation_with_its_own_server_is_sent_there_unless_the_api_is_pointed_elsewhere() {
    use api_models::request::Operation as _;
    let body = wire::UploadFileBody {
        file: Part::file(b"%PDF".to_vec(), "a.pdf", "application/pdf"),
        purpose: wire::UploadFileBodyPurpose::DisputeEvidence,
        expand: None,
        file_link_data: None,
    };
    let upload = wire::UploadFile::builder()
        .body(body)
        .build()
        .expect("valid");
    let api = wire::api("sk_test").expect("api");
    let sent = upload.to_request(&api).expect("request");
    assert_eq!(sent.uri().to_string(), "https://files.wire.test/v1/files");
    let listed = wire::ListCharges::builder().build().expect("valid");
    let sent = listed.to_request(&api).expect("request");
    assert_eq!(sent.uri().to_string(), "https://api.wire.test/v1/charges");
    let test_server = api.with_base_url("http://127.0.0.1:9").expect("api");
    let sent = upload.to_request(&test_server).expect("request");
    assert_eq!(sent.uri().to_string(), "http://127.0.0.1:9/v1/files");
}
