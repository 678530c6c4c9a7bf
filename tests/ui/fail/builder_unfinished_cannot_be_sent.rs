use api_models::request::Operation;
use api_models::sakari::ListCalls;

fn send<O: Operation>(_operation: &O) {}

fn main() {
    send(&ListCalls::builder().account_id("acc_1"));
}
