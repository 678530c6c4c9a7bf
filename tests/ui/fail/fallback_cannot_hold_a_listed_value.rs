use api_models::sakari::CallStatus;
use api_models::support::Unrecognized;

fn main() {
    // The fallback can only be made by parsing, so `ended` can never hide in it.
    let _ = CallStatus::Other(Unrecognized("ended".to_owned()));
}
