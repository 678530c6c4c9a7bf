use api_models::sakari::{CallDirection, ListCalls};

fn main() {
    let _ = ListCalls::builder().account_id("acc_1").status(CallDirection::Inbound).build();
}
