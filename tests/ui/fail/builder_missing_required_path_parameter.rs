use api_models::sakari::GetConversation;

fn main() {
    let _ = GetConversation::builder().account_id("acc_1").build();
}
