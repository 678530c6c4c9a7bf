//! Every generated operation on the wire: method, path, query and headers, the checks `build`
//! makes, hostile values, and decoding of answers.

use api_models::request::{http, Api, ApiError, Operation, RequestError};
use api_models::sakari::{self, CallDirection, CallStatus, GetConversation, GetMessage, ListCalls};
use api_models::{chatwoot, textus};

fn sakari_api() -> Api {
    sakari::api_with_token("tok_123").expect("a valid token")
}

fn header<'r>(request: &'r http::Request<Vec<u8>>, name: &str) -> Option<&'r str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

#[test]
fn sakari_list_calls_puts_every_parameter_on_the_wire() {
    let op = ListCalls::builder()
        .account_id("acc_1")
        .conversation_id("conv 7")
        .phonenumber_id("pn_2")
        .contact_id("ct_3")
        .user_id("us_4")
        .group_id("gr_5")
        .direction(CallDirection::Outbound)
        .status("queued".parse().expect("infallible"))
        .from("2024-01-01T00:00:00Z".parse().expect("a date-time"))
        .to("2024-01-31T23:59:59.5+02:00".parse().expect("a date-time"))
        .offset(40)
        .limit(20)
        .build()
        .expect("valid");
    let request = op.to_request(&sakari_api()).expect("a request");
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(
        request.uri().to_string(),
        "https://api.sakari.io/v1/accounts/acc_1/calls?conversationId=conv%207&phonenumberId=pn_2\
         &contactId=ct_3&userId=us_4&groupId=gr_5&direction=outbound&status=queued\
         &from=2024-01-01T00%3A00%3A00Z&to=2024-01-31T23%3A59%3A59.5%2B02%3A00&offset=40&limit=20"
    );
    assert_eq!(header(&request, "authorization"), Some("Bearer tok_123"));
    assert!(request.body().is_empty());
    assert_eq!(ListCalls::ID, "listCalls");
}

#[test]
fn optional_parameters_left_out_are_not_sent() {
    let op = ListCalls::builder()
        .account_id("acc_1")
        .build()
        .expect("valid");
    assert_eq!(op.path().expect("a path"), "/v1/accounts/acc_1/calls");
    assert!(op.query().expect("a query").is_empty());
    assert!(op.headers().expect("headers").is_empty());
}

#[test]
fn limit_and_offset_are_checked_when_the_request_is_built() {
    for bad in [0, 101, -5] {
        let err = ListCalls::builder()
            .account_id("a")
            .limit(bad)
            .build()
            .expect_err("out of range");
        assert_eq!(err.parameter(), "limit");
        assert_eq!(err.value(), bad.to_string());
        assert!(err.to_string().contains("1..=100"), "{err}");
    }
    for good in [1, 50, 100] {
        ListCalls::builder()
            .account_id("a")
            .limit(good)
            .build()
            .expect("in range");
    }
    let err = ListCalls::builder()
        .account_id("a")
        .offset(-1)
        .build()
        .expect_err("negative");
    assert_eq!(
        (err.parameter(), err.expected()),
        ("offset", "an integer >= 0")
    );
}

#[test]
fn path_parameters_stay_one_segment() {
    let cases = [
        ("../x", "..%2Fx"),
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("ünï cødé", "%C3%BCn%C3%AF%20c%C3%B8d%C3%A9"),
    ];
    for (value, encoded) in cases {
        let op = GetConversation::builder()
            .account_id(value)
            .conversation_id("c1")
            .build()
            .expect("valid");
        assert_eq!(
            op.path().expect("a path"),
            format!("/v1/accounts/{encoded}/conversations/c1")
        );
        let request = op.to_request(&sakari_api()).expect("a request");
        assert_eq!(
            request.uri().path(),
            format!("/v1/accounts/{encoded}/conversations/c1")
        );
    }
    for value in ["", ".", ".."] {
        let err: RequestError = GetMessage::builder()
            .account_id("a")
            .message_id(value)
            .build()
            .expect_err("not a segment");
        assert_eq!(err.parameter(), "message_id");
    }
}

/// Error messages end up in logs: no error, `Display` or `Debug` text may carry a credential, and
/// an empty credential is refused rather than sent as `Authorization: Bearer `.
#[test]
fn no_error_or_debug_text_ever_shows_a_credential() {
    let secrets = [
        "s3cr3t\r\nX-Evil: 1",
        "s3cr3t\n",
        "s3cr3t\0x",
        "s3cr3t\u{7f}",
    ];
    let mut texts = Vec::new();
    for secret in secrets {
        let err = sakari::api_with_token(secret).expect_err("control characters");
        assert_eq!(err.parameter(), "token");
        assert_eq!(err.value(), "");
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
        let err = chatwoot::api(secret).expect_err("control characters");
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
        let err = ApiError::<()>::from(err);
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    assert_eq!(
        texts[0],
        "invalid `token`: the credential is not allowed (expected visible ASCII text without CR, \
         LF or other control characters; its value is not shown)"
    );
    // A valid credential is not shown by `Debug` either.
    let api = sakari::api_with_token("s3cr3t-valid").expect("valid");
    texts.push(format!("{api:?}"));
    let bot = chatwoot::credentials::agent_bot_api_key("s3cr3t-bot").expect("valid");
    texts.push(format!("{bot:?}"));
    for text in &texts {
        assert!(!text.contains("s3cr3t"), "a credential in: {text}");
    }
    // Empty credentials are refused, naming the credential.
    for err in [
        sakari::api_with_token("").expect_err("empty token"),
        chatwoot::api("").expect_err("empty key"),
        chatwoot::credentials::agent_bot_api_key("").expect_err("empty key"),
    ] {
        assert!(
            err.to_string()
                .contains("the credential is not allowed (expected a value that is not empty"),
            "{err}"
        );
    }
}

#[test]
fn credentials_that_would_corrupt_a_request_are_refused() {
    for token in ["abc\r\nX-Admin: 1", "abc\ndef", "abc\0"] {
        let err = sakari::api_with_token(token).expect_err("control characters");
        assert_eq!(err.parameter(), "token");
    }
    let err = chatwoot::api("key\r\n").expect_err("control characters");
    assert_eq!(err.parameter(), "api_access_token");
    assert!(Api::new("ftp://example.com").is_err());
    assert!(sakari_api()
        .with_base_url("http://127.0.0.1:1/x?y")
        .is_err());
    // Credentials do not show in debug output.
    assert!(!format!("{:?}", sakari_api()).contains("tok_123"));
}

#[test]
fn chatwoot_sends_its_api_key_header_and_integer_ids() {
    let op = chatwoot::GetConversation::builder()
        .account_id(3)
        .conversation_id(1842)
        .build()
        .expect("valid");
    let api = chatwoot::api("s3cr3t")
        .expect("valid")
        .with_base_url("https://chat.example.org/")
        .expect("valid");
    let request = op.to_request(&api).expect("a request");
    assert_eq!(
        request.uri().to_string(),
        "https://chat.example.org/api/v1/accounts/3/conversations/1842"
    );
    assert_eq!(header(&request, "api_access_token"), Some("s3cr3t"));
    assert_eq!(header(&request, "authorization"), None);
}

#[test]
fn textus_sends_bearer_and_its_media_type() {
    let op = textus::GetConversation::builder()
        .conversation("Pvwqm5G")
        .build()
        .expect("valid");
    let request = op
        .to_request(&textus::api("t0k").expect("valid"))
        .expect("a request");
    assert_eq!(
        request.uri().to_string(),
        "https://next.textus.com/conversations/Pvwqm5G"
    );
    assert_eq!(header(&request, "authorization"), Some("Bearer t0k"));
    assert_eq!(
        header(&request, "accept"),
        Some("application/vnd.textus+jsonld")
    );
}

#[test]
fn answers_decode_into_the_documented_types() {
    let seeds = api_tests::fixtures("seeds");
    let body = |name: &str| {
        seeds
            .iter()
            .find(|(n, _)| n == name)
            .expect("seed")
            .1
            .as_bytes()
    };

    let no_headers = &api_models::request::http::HeaderMap::new();
    let calls =
        ListCalls::decode(200, no_headers, body("sakari.listCalls.200.json")).expect("decodes");
    assert_eq!(calls.data.len(), 1);
    assert_eq!(calls.data[0].status, CallStatus::Initiated);

    let err = chatwoot::GetConversation::decode(
        404,
        no_headers,
        body("chatwoot.getConversation.404.json"),
    )
    .expect_err("404");
    let ApiError::Status {
        status: 404, body, ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(body.errors.as_ref().map(Vec::len), Some(1));

    let err = textus::GetConversation::decode(200, no_headers, b"<html>gateway</html>")
        .expect_err("not JSON");
    let ApiError::Decode {
        status: 200, body, ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(body, b"<html>gateway</html>");

    // A `null` for a required property that allows none: the error names where it is.
    let err = ListCalls::decode(
        200,
        no_headers,
        br#"{"success": true, "data": [{"id": "c1", "direction": "inbound", "status": "ended"},
            {"id": null, "direction": "inbound", "status": "ended"}]}"#,
    )
    .expect_err("null id");
    let ApiError::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "data[1].id");
    assert!(
        err.to_string()
            .starts_with("the 200 answer does not decode at `data[1].id` (invalid type: null"),
        "{err}"
    );

    // Sakari documents no error body: any JSON is kept.
    let err = GetMessage::decode(500, no_headers, br#"{"error": "boom"}"#).expect_err("500");
    assert!(matches!(err, ApiError::Status { status: 500, body, .. } if body["error"] == "boom"));
}
