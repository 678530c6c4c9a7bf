//! Match an open enum, including the fallback that keeps unlisted values and the arm for values
//! listed after this code was written.
use api_models::sakari::CallStatus;

fn describe(status: &CallStatus) -> String {
    match status {
        CallStatus::Initiated | CallStatus::Ringing => "starting".to_owned(),
        CallStatus::Active | CallStatus::Transferring => "in progress".to_owned(),
        CallStatus::Ended | CallStatus::Rejected | CallStatus::Forwarded | CallStatus::Missed => "over".to_owned(),
        CallStatus::Other(unlisted) => format!("unknown status {}", unlisted.as_str()),
        // `CallStatus` is `#[non_exhaustive]`: a value the vendor lists later becomes a variant
        // without breaking this match.
        listed => format!("newly listed status {listed}"),
    }
}

fn main() {
    let status: CallStatus = serde_json::from_str("\"queued\"").expect("any string is accepted");
    assert_eq!(describe(&status), "unknown status queued");
    assert_eq!(status.to_string(), "queued");
    assert_eq!(CallStatus::LISTED.len(), 8);
    let parsed: CallStatus = "missed".parse().expect("infallible");
    assert_eq!(describe(&parsed), "over");
}
