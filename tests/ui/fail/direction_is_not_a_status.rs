use api_models::sakari::{CallDirection, CallStatus};

fn only_status(_: CallStatus) {}

fn main() {
    only_status(CallDirection::Inbound);
}
