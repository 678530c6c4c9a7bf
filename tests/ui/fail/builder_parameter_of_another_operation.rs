use api_models::sakari::GetMessage;

fn main() {
    let _ = GetMessage::builder().account_id("acc_1").message_id("m_1").limit(10).build();
}
