//! Rustdoc from schema descriptions: any text in, doc attributes that rustdoc renders without warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` attributes for a description, or for `fallback` when there is none.
pub fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    lines(&doc_text(text, fallback))
}

/// The sanitized description, or `fallback` (already safe Markdown) when there is none.
pub fn doc_text(text: Option<&str>, fallback: &str) -> String {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => sanitize(t),
        None => fallback.to_owned(),
    }
}

fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    })
}

/// Outer doc attributes for a text that is already safe Markdown.
pub fn lines(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner (`#![doc]`) attributes, for a module or crate.
pub fn inner_lines(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// Rewrites a description so rustdoc shows it as written: brackets and angle brackets are escaped (no
/// broken intra-doc links or stray HTML), bare URLs become autolinks, indentation is dropped (no
/// accidental code blocks), and code fences are marked `text` (never compiled as doctests).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for (i, raw) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = raw.trim();
        if line.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(raw);
            continue;
        }
        for (j, word) in line.split(' ').enumerate() {
            if j > 0 {
                out.push(' ');
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                let (url, tail) = split_url(word);
                out.push('<');
                out.push_str(url);
                out.push('>');
                escape_into(tail, &mut out);
            } else {
                escape_into(word, &mut out);
            }
        }
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

/// Splits trailing punctuation (and anything that cannot sit in an autolink) off a URL.
fn split_url(word: &str) -> (&str, &str) {
    let end = word
        .find(['<', '>', '"', '`', '\\', '[', ']'])
        .unwrap_or(word.len());
    let url = word[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'']);
    (url, &word[url.len()..])
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '[' | ']' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_rustdoc_would_misread() {
        assert_eq!(
            sanitize("See [docs] or <div>"),
            "See \\[docs\\] or \\<div\\>"
        );
        assert_eq!(
            sanitize("Visit https://api.sakari.io."),
            "Visit <https://api.sakari.io>."
        );
        assert_eq!(sanitize("    indented\n\tcode"), "indented\ncode");
        assert_eq!(sanitize("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(sanitize("```rust\nunclosed"), "```text\nunclosed\n```");
        assert_eq!(sanitize("a*/b \"] \\"), "a*/b \"\\] \\\\");
    }
}
