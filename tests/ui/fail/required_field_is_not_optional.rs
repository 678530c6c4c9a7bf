use api_models::sakari::Call;

fn clear(call: &mut Call) {
    call.id = None;
}

fn main() {}
