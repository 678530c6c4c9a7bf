// Typed errors by status, with a wildcard arm, and the declared headers read typed from an error.
use api_models::discord::{get_message, GetMessage};
use api_models::request::{ApiError, Operation};

fn describe(error: &ApiError<get_message::Error>) -> String {
    match error {
        ApiError::Status {
            body: get_message::Error::Status429(limited),
            headers,
            ..
        } => {
            let typed = get_message::Headers::from(&**headers);
            format!("wait {} s (bucket {:?})", limited.retry_after, typed.x_rate_limit_bucket)
        }
        ApiError::Status {
            body: get_message::Error::Status4XX(refused),
            ..
        } => format!("refused: {}", refused.message),
        ApiError::Status { status, .. } => format!("status {status}"),
        other => other.to_string(),
    }
}

fn main() {
    let mut headers = api_models::request::http::HeaderMap::new();
    headers.insert("x-ratelimit-bucket", "abc".parse().unwrap());
    let err = GetMessage::decode(
        429,
        &headers,
        br#"{"message": "You are being rate limited.", "retry_after": 0.5, "global": false, "code": 0}"#,
    )
    .unwrap_err();
    assert_eq!(describe(&err), "wait 0.5 s (bucket Some(\"abc\"))");
}
