//! An open enum is `#[non_exhaustive]`: a match lists a `_` arm, so that a value the vendor
//! lists later (a new variant after regenerating) does not break it.
use api_models::sakari::CallDirection;

fn describe(direction: &CallDirection) -> &'static str {
    match direction {
        CallDirection::Inbound => "in",
        CallDirection::Outbound => "out",
        CallDirection::Other(_) => "unlisted",
    }
}

fn main() {}
