// A request whose body is required does not build until the body is set.
use api_models::chatwoot::CreateMessage;

fn main() {
    let _ = CreateMessage::builder().account_id(1).conversation_id(7).build();
}
