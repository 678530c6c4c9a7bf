//! Docs drift: the vendor pages in `schemas/<vendor>/pages/` held against the schemas, edited
//! copies of the pages reporting exactly their edits, and drafts from each page.

use codegen::distill::{self, Finding, Kind};
use std::path::{Path, PathBuf};

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// A copy of the shipped schemas and pages, with `edits` ((page, from, to) text replacements)
/// made to the pages.
fn edited_copy(test: &str, edits: &[(&str, &str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("distill")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&shipped(), &dir);
    for (page, from, to) in edits {
        let file = dir.join(page);
        let text = std::fs::read_to_string(&file).expect("page");
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {page}");
        std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

/// The 1-based line of the first line holding `text` in the page.
fn line_of(dir: &Path, page: &str, text: &str) -> usize {
    let page = std::fs::read_to_string(dir.join(page)).expect("page");
    1 + page
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("`{text}` not in {page}"))
}

/// The findings as (page, line, kind, message, schema file and pointer).
fn findings(dir: &Path) -> Vec<(String, usize, Kind, String, String)> {
    let found = distill::check(dir).expect("the schemas load");
    for f in &found {
        eprintln!("{f}");
    }
    found
        .into_iter()
        .map(|f: Finding| {
            let page = f
                .file
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned();
            let schema = f
                .schema
                .map(|s| {
                    let file = s
                        .file
                        .strip_prefix(dir)
                        .unwrap_or(&s.file)
                        .to_string_lossy()
                        .into_owned();
                    format!("{file}#{}", s.pointer)
                })
                .unwrap_or_default();
            (page, f.line, f.kind, f.message, schema)
        })
        .collect()
}

fn finding(
    page: &str,
    line: usize,
    kind: Kind,
    message: &str,
    schema: &str,
) -> (String, usize, Kind, String, String) {
    (page.into(), line, kind, message.into(), schema.into())
}

#[test]
fn the_shipped_pages_agree_with_the_shipped_schemas() {
    assert_eq!(distill::pages(&shipped()).len(), 5, "one page per seed");
    assert_eq!(findings(&shipped()), []);
}

#[test]
fn the_generator_reads_no_page_and_says_so() {
    let generated = codegen::Config::new(shipped())
        .generate()
        .expect("generates");
    let pages: Vec<PathBuf> = distill::pages(&shipped())
        .into_iter()
        .map(|(_, page)| {
            page.strip_prefix(shipped())
                .expect("under schemas")
                .to_owned()
        })
        .collect();
    assert_eq!(generated.not_read, pages);
}

#[test]
fn edits_of_a_sakari_page_are_reported_exactly_with_page_line_and_schema_pointer() {
    const CALLS: &str = "sakari/pages/list-calls.txt";
    let dir = edited_copy(
        "sakari",
        &[
            // A new call status.
            (
                CALLS,
                "missed,\ntransferring\n",
                "missed,\ntransferring,\nqueued\n",
            ),
            // A changed limit range.
            (
                CALLS,
                "Required range: 1 <= x <= 100",
                "Required range: 1 <= x <= 500",
            ),
            // A new required parameter.
            (
                CALLS,
                "Query Parameters\n",
                "Query Parameters\n\nregion\nstring\nrequired\n\nRegion of the account\n",
            ),
            // A new property in the example body.
            (
                CALLS,
                "      \"duration\": 123,\n",
                "      \"duration\": 123,\n      \"recordingUrl\": \"<string>\",\n",
            ),
            // A property no longer shown.
            (CALLS, "      \"voicemail\": true,\n", ""),
        ],
    );
    let calls_op = "sakari/openapi.json#/paths/~1v1~1accounts~1{accountId}~1calls/get";
    assert_eq!(
        findings(&dir),
        [
            finding(
                CALLS,
                line_of(&dir, CALLS, "region"),
                Kind::Disagrees,
                "parameter `region` (query, required) is on the page but not in the schema",
                calls_op,
            ),
            finding(
                CALLS,
                line_of(&dir, CALLS, "initiated,"),
                Kind::Disagrees,
                "parameter `status`: option \"queued\" is on the page but not in the schema's enum",
                "sakari/call.json#/$defs/CallStatus/enum",
            ),
            finding(
                CALLS,
                line_of(&dir, CALLS, "Required range: 1 <= x"),
                Kind::Disagrees,
                "parameter `limit`: maximum is 500 on the page, 100 in the schema",
                &format!("{calls_op}/parameters/11/schema"),
            ),
            finding(
                CALLS,
                line_of(&dir, CALLS, "recordingUrl"),
                Kind::Disagrees,
                "200 example: property `recordingUrl` (string) at /data/0/recordingUrl is not in the schema",
                "sakari/call.json#",
            ),
            finding(
                CALLS,
                // The line of the first call object, which would have shown it.
                line_of(&dir, CALLS, "\"data\": [") + 1,
                Kind::Unshown,
                "property `voicemail` of the object at /data/0 is in the schema, but no example on the page shows it",
                "sakari/call.json#/properties/voicemail",
            ),
        ]
    );
}

#[test]
fn edits_of_the_chatwoot_and_textus_pages_and_other_kinds_are_reported_exactly() {
    const CHATWOOT: &str = "chatwoot/pages/get-conversation.txt";
    const TEXTUS: &str = "textus/pages/get-conversation.txt";
    const CALLS: &str = "sakari/pages/list-calls.txt";
    let dir = edited_copy(
        "chatwoot-textus",
        &[
            (
                CHATWOOT,
                "conversation_id*integer",
                "conversation_id*string",
            ),
            (CHATWOOT, "account_id*integer", "account_idinteger"),
            (CHATWOOT, "\"unread_count\": 0,", "\"unread_count\": \"0\","),
            (
                TEXTUS,
                "\"currentState\": \"open\",",
                "\"currentState\": \"open\",\n\"priority\": 3,",
            ),
            (TEXTUS, "\"type\": \"open\",", "\"type\": \"archived\","),
            // A required property no example shows.
            (TEXTUS, "\"id\": \"/conversations/kY1QwY\",\n", ""),
            // Another way to authenticate.
            (
                CHATWOOT,
                "userApiKey api_access_token<token>",
                "userApiKey api_key<token>",
            ),
            // Another media type in the example request.
            (
                TEXTUS,
                "Accept:\"application/vnd.textus+jsonld\"",
                "Accept:\"application/ld+json\"",
            ),
            // A parameter of the schema the page no longer lists.
            (CALLS, "groupId\nstring\n\nID of group\n\n", ""),
        ],
    );
    let path = "/paths/~1api~1v1~1accounts~1{account_id}~1conversations~1{conversation_id}";
    assert_eq!(
        findings(&dir),
        [
            finding(
                CHATWOOT,
                line_of(&dir, CHATWOOT, "account_idinteger"),
                Kind::Disagrees,
                "parameter `account_id` is optional on the page, required in the schema",
                &format!("chatwoot/openapi.json#{path}/get/parameters/0"),
            ),
            finding(
                CHATWOOT,
                line_of(&dir, CHATWOOT, "conversation_id*string"),
                Kind::Disagrees,
                "parameter `conversation_id` is string on the page, integer in the schema",
                &format!("chatwoot/openapi.json#{path}/get/parameters/1/schema"),
            ),
            finding(
                CHATWOOT,
                line_of(&dir, CHATWOOT, "userApiKey api_key"),
                Kind::Disagrees,
                "the page authenticates with a key in the `api_key` header (scheme `userApiKey`); the schema's security for the operation is `userApiKey` (a key in the `api_access_token` header)",
                // The operation has no `security` of its own: the document's applies.
                "chatwoot/openapi.json#/security",
            ),
            finding(
                CHATWOOT,
                line_of(&dir, CHATWOOT, "\"unread_count\""),
                Kind::Disagrees,
                "200 example: /unread_count is string on the page, integer in the schema",
                "chatwoot/conversation.json#/properties/unread_count",
            ),
            finding(
                CALLS,
                // The operation's first line.
                line_of(&dir, CALLS, "GET"),
                Kind::Disagrees,
                "parameter `groupId` (query) is in the schema but not on the page",
                "sakari/openapi.json#/paths/~1v1~1accounts~1{accountId}~1calls/get/parameters/5",
            ),
            finding(
                TEXTUS,
                line_of(&dir, TEXTUS, "GET /conversations/:conversation"),
                Kind::Disagrees,
                "the page's answer is application/ld+json; the schema's answer offers application/vnd.textus+jsonld",
                "textus/openapi.json#/paths/~1conversations~1{conversation}/get/responses/200/content",
            ),
            finding(
                TEXTUS,
                line_of(&dir, TEXTUS, "\"priority\": 3"),
                Kind::Disagrees,
                "200 example: property `priority` (integer) at /priority is not in the schema",
                "textus/conversation.json#",
            ),
            finding(
                TEXTUS,
                line_of(&dir, TEXTUS, "\"type\": \"archived\""),
                Kind::Disagrees,
                "200 example: /timeline/members/2/type is \"archived\", which the schema does not list",
                "textus/conversation-event.json#/$defs/ConversationEventType/enum",
            ),
            finding(
                TEXTUS,
                // The body's first line.
                line_of(&dir, TEXTUS, "Example Body") + 1,
                Kind::Disagrees,
                "property `id` of the object at the body is required in the schema, but no example on the page shows it",
                "textus/conversation.json#/properties/id",
            ),
        ]
    );
}

#[test]
fn a_page_that_is_no_known_layout_is_reported_with_its_file() {
    let dir = edited_copy("unreadable", &[]);
    std::fs::write(
        dir.join("textus/pages/notes.txt"),
        "Some notes\nabout nothing\n",
    )
    .expect("write");
    let found = findings(&dir);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2),
        ("textus/pages/notes.txt", 1, Kind::Unreadable)
    );
}

#[test]
fn each_page_drafts_a_description_that_generates_and_agrees_with_its_page() {
    for (vendor, page) in distill::pages(&shipped()) {
        let draft = distill::draft(&page).expect("a draft");
        let name = page
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("distill-drafts")
            .join(format!("{vendor}-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(&vendor).join("pages")).expect("mkdir");
        std::fs::write(
            dir.join(&vendor).join("openapi.json"),
            serde_json::to_string_pretty(&draft).expect("JSON"),
        )
        .expect("write");
        std::fs::copy(
            &page,
            dir.join(&vendor)
                .join("pages")
                .join(page.file_name().expect("name")),
        )
        .expect("copy");
        // It says how requests authenticate, as the page does.
        assert!(draft["security"].is_array(), "{vendor}/{name}: {draft}");
        // `cargo xtask codegen` accepts it: one operation, nothing left out, no warnings.
        let generated = codegen::Config::new(&dir)
            .generate()
            .expect("the draft generates");
        assert_eq!(generated.summary().to_string(), "summary: 1 operations generated, 0 left out; 0 webhooks generated, 0 left out; 0 parameters and 0 bodies left out; 0 schemas untyped; 0 warnings", "{vendor}/{name}");
        // And the page agrees with its own draft.
        let disagree: Vec<String> = distill::check(&dir)
            .expect("loads")
            .into_iter()
            .filter(|f| f.kind != Kind::Unshown)
            .map(|f| f.to_string())
            .collect();
        assert_eq!(disagree, Vec::<String>::new(), "{vendor}/{name}");
    }
}

/// Cut short anywhere, or with any one line gone, a page never panics the reader, the check or the
/// draft: it reads, or it becomes a finding or an error.
#[test]
fn damaged_pages_never_panic() {
    let dir = edited_copy("damaged", &[]);
    for (_, page) in distill::pages(&shipped()) {
        let text = std::fs::read_to_string(&page).expect("page");
        let lines: Vec<&str> = text.lines().collect();
        let mut variants: Vec<String> = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(53)
            .map(|cut| text[..cut].to_owned())
            .collect();
        variants.extend((0..lines.len()).map(|gone| {
            let mut kept = lines.clone();
            kept.remove(gone);
            kept.join("\n")
        }));
        let target = dir.join(page.strip_prefix(shipped()).expect("under schemas"));
        for (i, variant) in variants.iter().enumerate() {
            let _ = distill::page::read(variant);
            // The whole check (the schemas too), and the draft, on every fifteenth variant.
            if i % 15 == 0 {
                std::fs::write(&target, variant).expect("write");
                distill::check(&dir).expect("the schemas load");
                let _ = distill::draft(&target);
            }
        }
        std::fs::copy(&page, &target).expect("restore");
    }
}
