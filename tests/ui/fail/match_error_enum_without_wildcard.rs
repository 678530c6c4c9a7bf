// An operation's error enum is non-exhaustive: a status the vendor documents later becomes a
// variant of its own, so a match outside the crate needs a `_` arm.
use api_models::discord::get_message::Error;

fn describe(error: &Error) -> &'static str {
    match error {
        Error::Status429(_) => "rate limited",
        Error::Status4XX(_) => "refused",
    }
}

fn main() {
    let _ = describe;
}
