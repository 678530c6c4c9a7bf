use api_models::sakari::ListCalls;

fn main() {
    let mut op = ListCalls::builder().account_id("acc_1").build().expect("valid");
    op.limit = Some(0);
}
