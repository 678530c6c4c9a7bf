//! Every fixture – the vendors' own example bodies (`fixtures/seeds`) and our own realistic payloads
//! (`fixtures/payloads`) – deserialises into its generated type and writes back the same JSON.

use api_models::{chatwoot, discord, sakari, textus};
use api_tests::{fixtures, round_trip};

/// Checks one fixture, chosen by the `<vendor>.<operationId>.<status>` prefix of its file name.
fn check(name: &str, text: &str) {
    let key: Vec<&str> = name.splitn(4, '.').take(3).collect();
    match key.join(".").as_str() {
        "sakari.getConversation.200" => {
            drop(round_trip::<sakari::ConversationResponse>(name, text))
        }
        "sakari.getMessage.200" => drop(round_trip::<sakari::MessageResponse>(name, text)),
        "sakari.listCalls.200" => drop(round_trip::<sakari::CallList>(name, text)),
        "sakari.sendMessages.200" => drop(round_trip::<sakari::SendMessagesResponse>(name, text)),
        "sakari.subscribeWebhook.200" => {
            drop(round_trip::<sakari::SubscribeWebhookResponse>(name, text))
        }
        "sakari.webhook.messageIncoming" => check_event(
            name,
            text,
            round_trip::<sakari::MessageIncomingEvent>(name, text),
        ),
        "sakari.webhook.messageStatus" => check_event(
            name,
            text,
            round_trip::<sakari::MessageStatusEvent>(name, text),
        ),
        "sakari.webhook.account" => {
            check_event(name, text, round_trip::<sakari::AccountEvent>(name, text))
        }
        "chatwoot.getConversation.200" => drop(round_trip::<chatwoot::Conversation>(name, text)),
        "chatwoot.getConversation.403" | "chatwoot.getConversation.404" => {
            drop(round_trip::<chatwoot::ErrorResponse>(name, text))
        }
        "textus.getConversation.200" => drop(round_trip::<textus::Conversation>(name, text)),
        "discord.getMessage.200" => drop(round_trip::<discord::Message>(name, text)),
        "discord.getMessage.429" => drop(round_trip::<discord::RatelimitedResponse>(name, text)),
        "discord.getMessage.4XX" | "discord.createMessage.4XX" => {
            drop(round_trip::<discord::ErrorResponse>(name, text))
        }
        other => panic!("{name}: no type is known for `{other}`; add it to this table"),
    }
}

/// A webhook fixture (`sakari.webhook.<event>.…`) is also read as the event its `type` tells,
/// holding the payload the round trip read.
fn check_event<T>(name: &str, text: &str, payload: T)
where
    sakari::webhooks::Event: From<T>,
{
    use sakari::webhooks::{Event, EventKind};
    let headers = Default::default();
    let event =
        Event::from_body(&headers, text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let key = name.split('.').nth(2).expect("event name");
    assert_eq!(event.kind(), EventKind::from_name(key), "{name}");
    assert_eq!(event, Event::from(payload), "{name}");
}

#[test]
fn seed_examples_round_trip() {
    let seeds = fixtures("seeds");
    assert_eq!(seeds.len(), 7, "the seven example bodies of the seed pages");
    for (name, text) in &seeds {
        check(name, text);
    }
}

#[test]
fn own_payloads_round_trip() {
    let payloads = fixtures("payloads");
    assert!(payloads.len() >= 16, "at least three payloads per endpoint");
    for (name, text) in &payloads {
        check(name, text);
    }
}

fn payload(name: &str) -> String {
    let path = api_tests::fixtures_dir().join("payloads").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn an_unlisted_call_status_is_kept_and_written_back() {
    let name = "sakari.listCalls.200.unknown-status.json";
    let list: sakari::CallList = round_trip(name, &payload(name));
    let statuses: Vec<&str> = list.data.iter().map(|c| c.status.as_str()).collect();
    assert!(statuses.contains(&"queued"), "{statuses:?}");
    let queued = list
        .data
        .iter()
        .find(|c| c.status.as_str() == "queued")
        .expect("a queued call");
    assert!(matches!(&queued.status, sakari::CallStatus::Other(v) if v.as_str() == "queued"));
    assert!(list
        .data
        .iter()
        .any(|c| c.status == sakari::CallStatus::Ringing));
}

#[test]
fn textus_timeline_members_are_told_apart_by_their_type_tag() {
    let name = "textus.getConversation.200.note-in-timeline.json";
    let conversation: textus::Conversation = round_trip(name, &payload(name));
    let members = &conversation.timeline.as_ref().expect("a timeline").members;
    assert!(members
        .iter()
        .any(|m| matches!(m, textus::TimelineMember::ConversationEvent(_))));
    let note = members.iter().find_map(|m| match m {
        textus::TimelineMember::Other(v) => Some(v),
        _ => None,
    });
    let note = note.expect("the Note member is kept in the fallback variant");
    assert_eq!(note["@type"], "Note");
}

#[test]
fn explicit_nulls_and_absent_properties_stay_apart() {
    let seed = &fixtures("seeds")
        .into_iter()
        .find(|(n, _)| n.starts_with("textus"))
        .expect("TextUs seed")
        .1;
    let conversation: textus::Conversation = round_trip("textus seed", seed);
    // `assignedContact` is sent as an explicit null: it must be read, and written back, as null.
    assert!(conversation.assigned_contact.is_null());
    let written = serde_json::to_value(&conversation).expect("serialises");
    assert_eq!(written["assignedContact"], serde_json::Value::Null);

    let mut without: serde_json::Value = serde_json::from_str(seed).expect("JSON");
    without
        .as_object_mut()
        .expect("object")
        .remove("assignedContact");
    let conversation: textus::Conversation = serde_json::from_value(without).expect("deserialises");
    assert!(conversation.assigned_contact.is_absent());
    let written = serde_json::to_value(&conversation).expect("serialises");
    assert!(
        written.get("assignedContact").is_none(),
        "an absent property must stay absent"
    );
}

#[test]
fn the_phone_numbers_documentation_artifact_is_kept_as_an_unknown_field() {
    let seed = &fixtures("seeds")
        .into_iter()
        .find(|(n, _)| n == "sakari.getMessage.200.json")
        .expect("seed")
        .1;
    let message: sakari::MessageResponse = round_trip("sakari getMessage", seed);
    let group = message.data.group.as_ref().expect("a group");
    assert!(group.phone_numbers.is_none());
    assert!(group.extra.get("phoneNumbers?").is_some());
}

#[test]
fn unknown_properties_can_be_set_replaced_and_removed() {
    let mut actor: sakari::Actor =
        serde_json::from_str(r#"{"id":"a","x":1,"y":[true]}"#).expect("parses");
    assert_eq!(actor.extra.len(), 2);
    let names: Vec<&str> = actor.extra.iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["x", "y"]);
    actor
        .extra
        .insert_value("x".into(), &2)
        .expect("serialises");
    assert_eq!(actor.extra.get("x").map(|v| v.get()), Some("2"));
    assert_eq!(
        actor.extra.remove("y").map(|v| v.get().to_owned()),
        Some("[true]".into())
    );
    assert!(actor.extra.remove("y").is_none());
    assert_eq!(
        serde_json::to_string(&actor).expect("serialises"),
        r#"{"id":"a","x":2}"#
    );
    assert!(actor.extra.remove("x").is_some());
    assert!(actor.extra.is_empty());
    // Emptied is the same as never set.
    let plain: sakari::Actor = serde_json::from_str(r#"{"id":"a"}"#).expect("parses");
    assert_eq!(actor, plain);
    assert_eq!(format!("{:?}", actor.extra), "{}");
}

#[test]
fn date_times_write_back_the_text_they_read() {
    let at: api_models::support::DateTime =
        serde_json::from_str("\"2018-07-24T20:59:32.156+02:00\"").expect("parses");
    assert_eq!(at.as_str(), "2018-07-24T20:59:32.156+02:00");
    assert_eq!(at.unix_timestamp(), 1_532_458_772);
    assert_eq!(at.nanosecond(), 156_000_000);
    assert_eq!(at.offset_minutes(), 120);
    assert_eq!(at.date(), (2018, 7, 24));
    assert_eq!(at.time(), (20, 59, 32));
    assert_eq!(
        serde_json::to_string(&at).expect("writes"),
        "\"2018-07-24T20:59:32.156+02:00\""
    );
    for bad in [
        "2018-02-30T00:00:00Z",
        "2018-07-24 20:59",
        "2018-07-24T24:00:00Z",
        "yesterday",
        "2018-07-24T20:59:32",
    ] {
        assert!(
            serde_json::from_str::<api_models::support::DateTime>(&format!("\"{bad}\"")).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn a_wrong_type_is_an_error_not_a_silent_default() {
    // `status` is required on a Sakari call; an integer where a string enum belongs is refused.
    let err =
        serde_json::from_str::<sakari::Call>(r#"{"id":"c1","direction":"inbound","status":3}"#);
    assert!(err.is_err());
    let err = serde_json::from_str::<sakari::Call>(r#"{"id":"c1","direction":"inbound"}"#)
        .expect_err("missing");
    assert!(err.to_string().contains("missing field `status`"), "{err}");
    // A property given twice is refused, listed or not.
    for twice in [
        r#"{"id":"c1","id":"c2","direction":"inbound","status":"ended"}"#,
        r#"{"id":"c1","direction":"inbound","status":"ended","x":1,"x":2}"#,
    ] {
        let err = serde_json::from_str::<sakari::Call>(twice).expect_err("duplicate");
        assert!(err.to_string().contains("duplicate field"), "{err}");
    }
    // `null` for a required property that allows no null is refused.
    let err = serde_json::from_str::<sakari::Call>(
        r#"{"id":null,"direction":"inbound","status":"ended"}"#,
    )
    .expect_err("id is required and not nullable");
    assert!(err.to_string().contains("invalid type: null"), "{err}");
    // A Chatwoot message type is an integer-coded open enum.
    let t: chatwoot::MessageType = serde_json::from_str("1").expect("parses");
    assert_eq!(t, chatwoot::MessageType::Outgoing);
    let t: chatwoot::MessageType = serde_json::from_str("9").expect("unlisted value kept");
    assert_eq!(t.as_i64(), 9);
}

#[test]
fn a_tag_anywhere_in_the_object_selects_the_variant() {
    use textus::TimelineMember;
    let first = r#"{"@type": "ConversationEvent", "id": "/conversation_events/1", "type": "open", "extra": [1, 2]}"#;
    let later = r#"{"id": "/conversation_events/1", "type": "open", "extra": [1, 2], "@type": "ConversationEvent"}"#;
    for text in [first, later] {
        let member: TimelineMember = round_trip("event", text);
        let TimelineMember::ConversationEvent(event) = &member else {
            panic!("{member:?}")
        };
        assert_eq!(event.id, "/conversation_events/1");
        let kept = event
            .extra
            .get("extra")
            .expect("the unknown property is kept");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(kept.get()).expect("JSON"),
            serde_json::json!([1, 2])
        );
    }
    for text in [
        r#"{"id": "/x/1", "@type": "Poll"}"#,
        r#"{"@type": 7}"#,
        r#"{}"#,
    ] {
        let member: TimelineMember = round_trip("unknown tag", text);
        assert!(
            matches!(member, TimelineMember::Other(_)),
            "{text}: {member:?}"
        );
    }
    // Properties before the tag keep their order; a name given twice is refused.
    let late = r#"{"zeta": 1, "alpha": 2, "@type": "ConversationEvent", "id": "/e/1"}"#;
    let TimelineMember::ConversationEvent(event) = round_trip::<TimelineMember>("late tag", late)
    else {
        panic!("a conversation event")
    };
    let names: Vec<&str> = event.extra.iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["zeta", "alpha"]);
    let twice = r#"{"zeta": 1, "zeta": 2, "@type": "ConversationEvent", "id": "/e/1"}"#;
    assert!(serde_json::from_str::<TimelineMember>(twice).is_err());
    // A known tag with a body that does not fit its variant is an error, not the fallback.
    let err = serde_json::from_str::<TimelineMember>(r#"{"@type": "Message", "id": 5}"#)
        .expect_err("id must be a string");
    assert!(err.to_string().contains("invalid type"), "{err}");
}

/// Vendors' documents are often wrong about nullability: in the default mode, a `null` for an
/// optional property whose schema does not allow it reads as absent, and the very bytes received are
/// written back.
#[test]
fn a_null_the_schema_does_not_allow_reads_as_absent_and_is_written_back() {
    let text = r#"{"id":"c1","direction":"inbound","status":"ended","duration":null,"voicemail":true,"x":1}"#;
    let call: sakari::Call = serde_json::from_str(text).expect("lenient about the null");
    assert_eq!(call.duration, None);
    assert_eq!(call.voicemail, Some(true));
    assert_eq!(serde_json::to_string(&call).expect("serialises"), text);
    // A value set later replaces the null; it is not written twice.
    let mut changed = call.clone();
    changed.duration = Some(12);
    let written = serde_json::to_string(&changed).expect("serialises");
    assert_eq!(
        written,
        r#"{"id":"c1","direction":"inbound","status":"ended","duration":12,"voicemail":true,"x":1}"#
    );
    // Absent stays absent.
    let absent = r#"{"id":"c1","direction":"inbound","status":"ended"}"#;
    let call: sakari::Call = serde_json::from_str(absent).expect("parses");
    assert_eq!(serde_json::to_string(&call).expect("serialises"), absent);
    // A property given twice is an error, a kept `null` among them, in either order.
    for twice in [
        r#"{"id":"c1","direction":"inbound","status":"ended","duration":null,"duration":3}"#,
        r#"{"id":"c1","direction":"inbound","status":"ended","duration":3,"duration":null}"#,
        r#"{"id":"c1","direction":"inbound","status":"ended","duration":null,"duration":null}"#,
    ] {
        let error = serde_json::from_str::<sakari::Call>(twice).expect_err(twice);
        assert!(
            error.to_string().contains("duplicate field `duration`"),
            "{twice}: {error}"
        );
    }
}

/// A field whose type's features are off (an error answer naming another group's resource, see
/// `codegen/src/emit/features.rs`) is not there: its property, a `null` too, is an unknown one,
/// kept and written back as received; a field whose `cfg` is on reads as any other.
#[test]
fn a_property_whose_field_is_compiled_out_is_kept_as_an_unknown_one() {
    #[derive(Debug, Default, PartialEq)]
    struct Failure {
        message: Option<String>,
        #[cfg(test)]
        code: Option<String>,
        #[cfg(not(test))]
        intent: Option<i64>,
        extra: api_models::support::UnknownFields,
    }
    api_models::support::object! {
        Failure "an object (Failure)" [extra "message" #[cfg(test)] "code" #[cfg(not(test))] "intent"];
        0 message "message" lenient [extra] String;
        #[cfg(test)] 1 code "code" lenient [extra] String;
        #[cfg(not(test))] 2 intent "intent" lenient [extra] i64;
    }
    for text in [
        r#"{"message":"declined","code":"card","intent":{"id":"pi_1","amount":5}}"#,
        r#"{"message":null,"code":null,"intent":null}"#,
        r#"{"intent":7}"#,
    ] {
        let failure: Failure = serde_json::from_str(text).expect(text);
        assert_eq!(serde_json::to_string(&failure).expect("writes"), text);
    }
    let failure: Failure =
        serde_json::from_str(r#"{"code":"card","intent":{"id":"pi_1"}}"#).expect("reads");
    assert_eq!(failure.code.as_deref(), Some("card"));
    assert_eq!(
        failure.extra.get("intent").map(|raw| raw.get()),
        Some(r#"{"id":"pi_1"}"#)
    );
    let error = serde_json::from_str::<Failure>(r#"{"intent":1,"intent":2}"#)
        .expect_err("an unknown property given twice");
    assert!(error.to_string().contains("intent"), "{error}");
}

/// A struct that refuses unknown properties keeps no `null`; a property given twice is still an
/// error in every order, as a derived reader says.
#[test]
fn a_struct_without_a_store_refuses_a_property_given_twice() {
    #[derive(Debug, Default, PartialEq)]
    struct Closed {
        duration: Option<i64>,
    }
    api_models::support::object! {
        Closed "an object (Closed)" [];
        0 duration "duration" lenient [] Option<i64>;
    }
    let read = |text: &str| serde_json::from_str::<Closed>(text);
    assert_eq!(
        read(r#"{"duration":3}"#).expect("a value"),
        Closed { duration: Some(3) }
    );
    assert_eq!(
        read(r#"{"duration":null}"#).expect("a null"),
        Closed::default()
    );
    assert_eq!(read("{}").expect("nothing"), Closed::default());
    for twice in [
        r#"{"duration":null,"duration":3}"#,
        r#"{"duration":3,"duration":null}"#,
        r#"{"duration":null,"duration":null}"#,
        r#"{"duration":3,"duration":4}"#,
    ] {
        let error = read(twice).expect_err(twice);
        assert!(
            error.to_string().contains("duplicate field `duration`"),
            "{twice}: {error}"
        );
    }
    let error = read(r#"{"other":1}"#).expect_err("an unknown property");
    assert!(
        error.to_string().contains("unknown field `other`"),
        "{error}"
    );
}

#[test]
fn a_body_read_from_a_stream_or_with_escaped_names_reads_the_same() {
    // From an `io::Read` no name can be borrowed from the input; an escaped name cannot be either.
    // Listed properties must still land in their fields, unlisted ones in `extra`.
    let text = r#"{"\u0069d": "c_1", "direction": "inbound", "status": "completed",
                   "dura\u0074ion": 42, "unlisted": [1, 2], "unl\u0069sted2": null}"#;
    let from_text: sakari::Call = serde_json::from_str(text).expect("reads from text");
    let from_stream: sakari::Call =
        serde_json::from_reader(text.as_bytes()).expect("reads from a stream");
    assert_eq!(from_text, from_stream);
    assert_eq!(from_stream.id, "c_1");
    assert_eq!(from_stream.duration, Some(42));
    let written = serde_json::to_value(&from_stream).expect("writes");
    assert_eq!(written["unlisted"], serde_json::json!([1, 2]));
    assert_eq!(written["unlisted2"], serde_json::Value::Null);
    assert!(
        written.get("unlisted2").is_some(),
        "the unlisted null is kept"
    );
}

/// Items and map values that may be null keep their type (`Vec<Option<String>>`), read a null
/// as `None`, and write it back.
#[test]
fn nullable_items_round_trip_typed() {
    let text = r#"{"tags":["a",null,"b"],"scores":{"x":1,"y":null},"statuses":[null,{"id":"m1","status":"sent"}]}"#;
    let lists: api_tests::wire::NullableLists = round_trip("nullable items", text);
    let tags: Vec<Option<String>> = lists.tags.clone().expect("tags");
    assert_eq!(tags, [Some("a".to_owned()), None, Some("b".to_owned())]);
    let scores = lists.scores.as_ref().expect("scores");
    assert_eq!((scores["x"], scores["y"]), (Some(1), None));
    let statuses = lists.statuses.as_ref().expect("statuses");
    assert!(statuses[0].is_none());
    assert_eq!(statuses[1].as_ref().map(|s| s.id.as_str()), Some("m1"));
    // A number where a string may be is refused, as it was before items could be null.
    assert!(serde_json::from_str::<api_tests::wire::NullableLists>(r#"{"tags":[1]}"#).is_err());
}
