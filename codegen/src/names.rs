//! Every naming rule of the generator: wire names and schema names in, valid Rust identifiers out.
//!
//! Rules (also documented in the README):
//! - `@` is read as the word "at" (`@type` → `at_type`, `@context` → `at_context`); every other
//!   character that cannot appear in an identifier separates words (`phone-number`, `hydra:Collection`,
//!   `phoneNumbers?` → `phone_numbers`). Letters outside ASCII are dropped.
//! - Types and variants are `UpperCamelCase`, fields and modules `snake_case` (heck's word splitting).
//! - A name that starts with a digit gets a prefix: `_` for fields and modules (`_2fa`), `N` for types
//!   and variants (`N2fa`). An empty name becomes `empty` / `Empty`.
//! - Rust keywords get a trailing underscore (`type` → `type_`, `Self` → `Self_`).
//! - Type names never shadow the prelude names generated code uses ([`PRELUDE_TYPES`]): a schema
//!   called `Result` becomes `Result2`.
//! - When several items in one scope map to the same name, [`disambiguate`] decides: an item whose
//!   source name already *is* the identifier keeps it; the others, in order of their source name, get
//!   the suffixes `2`, `3`, … (`_2`, `_3` for snake_case). The result never depends on file or map order.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Identifier case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types and enum variants.
    Camel,
    /// `snake_case`: fields and modules.
    Snake,
}

/// Rust's keywords, strict and reserved: an identifier that is one gets a trailing `_`. (A `match`:
/// this is asked for every name the generator makes, tens of thousands in a large document.)
fn is_keyword(name: &str) -> bool {
    // None is longer than 8 bytes: most names are, and need no comparing.
    name.len() <= 8
        && matches!(
            name,
            "as" | "async"
                | "await"
                | "break"
                | "const"
                | "continue"
                | "crate"
                | "dyn"
                | "else"
                | "enum"
                | "extern"
                | "false"
                | "fn"
                | "for"
                | "gen"
                | "if"
                | "impl"
                | "in"
                | "let"
                | "loop"
                | "match"
                | "mod"
                | "move"
                | "mut"
                | "pub"
                | "ref"
                | "return"
                | "self"
                | "Self"
                | "static"
                | "struct"
                | "super"
                | "trait"
                | "true"
                | "type"
                | "unsafe"
                | "use"
                | "where"
                | "while"
                | "abstract"
                | "become"
                | "box"
                | "do"
                | "final"
                | "macro"
                | "override"
                | "priv"
                | "typeof"
                | "unsized"
                | "virtual"
                | "yield"
                | "try"
                | "union"
        )
}

/// Prelude names the generated code uses unqualified; no generated type may take them.
pub const PRELUDE_TYPES: [&str; 9] = [
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
];

/// Names of the items every vendor module and operation module declares (a module's `credentials`
/// submodule, an operation's `Body`, `Response` and `Error` enums and its `Headers`); no operation
/// may take them (types are always named by their full path, so they may). A module with webhook
/// events also has a `webhooks` submodule: its operations may not be `Webhooks` either.
pub const OPERATION_ITEMS: [&str; 5] = ["Credentials", "Body", "Response", "Error", "Headers"];

/// Splits a source name into words: `@` becomes "at", non-identifier characters separate words.
fn words(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 4);
    for c in source.chars() {
        match c {
            '@' => out.push_str(" at "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Converts a source name (a wire name, a `$defs` key, a title) into an identifier of the given case.
pub fn ident(source: &str, case: Case) -> String {
    let spaced = words(source);
    let mut name = match case {
        Case::Camel => spaced.to_upper_camel_case(),
        Case::Snake => spaced.to_snake_case(),
    };
    if name.is_empty() {
        name = match case {
            Case::Camel => "Empty".to_owned(),
            Case::Snake => "empty".to_owned(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, if case == Case::Camel { "N" } else { "_" });
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// Whether `name` is something [`ident`] can return: a plain, non-keyword Rust identifier.
pub fn is_valid_ident(name: &str) -> bool {
    let starts_well =
        matches!(name.bytes().next(), Some(c) if c.is_ascii_alphabetic() || c == b'_');
    starts_well
        && name != "_"
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !is_keyword(name)
}

/// The `n`th form of an identifier (`n` ≥ 2): `Name2`, `name_2`; a keyword's trailing `_` goes
/// before the number (`type_` → `type_2`, `Self_` → `Self2`).
pub fn numbered(wanted: &str, n: usize, case: Case) -> String {
    let base = wanted
        .strip_suffix('_')
        .filter(|s| !s.is_empty())
        .unwrap_or(wanted);
    match case {
        Case::Camel => format!("{base}{n}"),
        Case::Snake => format!("{base}_{n}"),
    }
}

/// Gives every item in one scope a distinct identifier.
///
/// `items` are `(source name, wanted identifier)` pairs, one per item, in any order; `reserved` names
/// are never handed out. Returns the identifiers in the order of `items`. See the module docs for the rule.
pub fn disambiguate(items: &[(String, String)], reserved: &[&str], case: Case) -> Vec<String> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, wanted)) in items.iter().enumerate() {
        by_name.entry(wanted.as_str()).or_default().push(i);
    }
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    let mut out: Vec<Option<String>> = vec![None; items.len()];
    // First pass: unique names, and the exact owner of a contested name, keep what they asked for.
    let mut losers: Vec<usize> = Vec::new();
    for (name, group) in &by_name {
        if reserved.contains(name) {
            losers.extend(group);
            continue;
        }
        let owner = match group.as_slice() {
            [only] => Some(*only),
            _ => {
                let exact: Vec<usize> = group
                    .iter()
                    .copied()
                    .filter(|&i| items[i].0 == *name)
                    .collect();
                if exact.len() == 1 {
                    Some(exact[0])
                } else {
                    None
                }
            }
        };
        for &i in group {
            if Some(i) == owner {
                out[i] = Some((*name).to_owned());
                taken.insert((*name).to_owned());
            } else {
                losers.push(i);
            }
        }
    }
    // Second pass: everyone else gets the first free numbered form, in order of source name.
    losers.sort_by(|&a, &b| items[a].0.cmp(&items[b].0).then(a.cmp(&b)));
    for i in losers {
        let mut n = 2usize;
        let name = loop {
            let candidate = numbered(&items[i].1, n, case);
            if !taken.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        taken.insert(name.clone());
        out[i] = Some(name);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_identifiers() {
        assert_eq!(ident("firstName", Case::Snake), "first_name");
        assert_eq!(ident("@type", Case::Snake), "at_type");
        assert_eq!(ident("@context", Case::Snake), "at_context");
        assert_eq!(ident("phoneNumbers?", Case::Snake), "phone_numbers");
        assert_eq!(ident("type", Case::Snake), "type_");
        assert_eq!(ident("self", Case::Snake), "self_");
        assert_eq!(ident("Self", Case::Camel), "Self_");
        assert_eq!(ident("2fa", Case::Snake), "_2fa");
        assert_eq!(ident("2fa", Case::Camel), "N2fa");
        assert_eq!(ident("", Case::Camel), "Empty");
        assert_eq!(ident("hydra:Collection", Case::Camel), "HydraCollection");
        assert_eq!(ident("phone-number", Case::Camel), "PhoneNumber");
        assert_eq!(ident("*/\"]\0", Case::Snake), "empty");
        assert_eq!(ident("r#type", Case::Snake), "r_type");
    }

    #[test]
    fn every_produced_name_is_valid() {
        for s in [
            "", "_", "__", "1", "a b", "@", "@@type", "é", "Self", "crate", "-x-", "0_0", "ñame",
        ] {
            for case in [Case::Camel, Case::Snake] {
                let name = ident(s, case);
                assert!(is_valid_ident(&name), "{s:?} gave {name:?}");
            }
        }
    }

    #[test]
    fn collisions_are_resolved_by_exactness_then_source_order() {
        let items = vec![
            ("@type".to_owned(), "type_".to_owned()),
            ("type".to_owned(), "type_".to_owned()),
            ("user_name".to_owned(), "user_name".to_owned()),
            ("userName".to_owned(), "user_name".to_owned()),
            ("UserName".to_owned(), "user_name".to_owned()),
        ];
        let got = disambiguate(&items, &[], Case::Snake);
        // Neither `@type` nor `type` is spelled `type_`, so both are numbered in source order.
        assert_eq!(
            got,
            [
                "type_2",
                "type_3",
                "user_name",
                "user_name_3",
                "user_name_2"
            ]
        );
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let items = vec![("extra".to_owned(), "extra".to_owned())];
        assert_eq!(disambiguate(&items, &["extra"], Case::Snake), ["extra_2"]);
    }
}
