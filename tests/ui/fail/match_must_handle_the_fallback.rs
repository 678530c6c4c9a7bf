use api_models::textus::TimelineMember;

fn kind(member: &TimelineMember) -> &'static str {
    match member {
        TimelineMember::Message(_) => "message",
        TimelineMember::ConversationEvent(_) => "event",
    }
}

fn main() {}
