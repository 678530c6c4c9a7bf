//! Token streams as text the way Rust is written by hand (`Vec<crate::m::T>`), for the few places
//! that print tokens without a pretty-printer: the rows of table macros, and the API manifest.

use proc_macro2::TokenStream;

/// A token stream as one line of hand-written-looking Rust.
pub(crate) fn text(tokens: TokenStream) -> String {
    let mut out = String::new();
    let mut glued = true;
    for token in tokens {
        put_token(&mut out, &token, &mut glued);
    }
    out
}

/// Appends a token as Rust is written by hand: a space between words, none inside paths
/// (`crate::m::T`), generics (`Vec<T>`) and delimiters, none before `,`. `glued`: whether the
/// text so far ends where no space may follow.
fn put_token(out: &mut String, token: &proc_macro2::TokenTree, glued: &mut bool) {
    use proc_macro2::{Delimiter, TokenTree};
    let (text_before_space, glue_after) = match token {
        TokenTree::Punct(p) => {
            let c = p.as_char();
            // `a::b` and `Vec<T>`, but `"wire" ::serde_json::Value`.
            let after_word = out.ends_with(|e: char| e.is_alphanumeric() || "_>:".contains(e));
            let no_space_before = c == ',' || (matches!(c, ':' | '<' | '>') && after_word);
            let no_space_after =
                matches!(c, ':' | '<' | '&') || p.spacing() == proc_macro2::Spacing::Joint;
            (no_space_before, no_space_after)
        }
        _ => (false, false),
    };
    if !*glued && !text_before_space {
        out.push(' ');
    }
    match token {
        TokenTree::Group(group) => {
            let (open, close) = match group.delimiter() {
                Delimiter::Parenthesis => ("(", ")"),
                Delimiter::Bracket => ("[", "]"),
                Delimiter::Brace => ("{ ", " }"),
                Delimiter::None => ("", ""),
            };
            out.push_str(open);
            let mut inner = true;
            for t in group.stream() {
                put_token(out, &t, &mut inner);
            }
            out.push_str(close);
        }
        other => out.push_str(&other.to_string()),
    }
    *glued = glue_after;
}
