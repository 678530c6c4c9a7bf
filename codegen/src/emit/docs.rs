//! Rustdoc from schema descriptions: any text in, doc attributes that rustdoc renders without warnings.

use proc_macro2::TokenStream;
use quote::quote;
use std::cell::RefCell;

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
    if let Some(marker) = set_aside_text(text) {
        return quote! { #[doc = #marker] };
    }
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner (`#![doc]`) attributes, for a module or crate.
pub fn inner_lines(text: &str) -> TokenStream {
    if let Some(marker) = set_aside_text(text) {
        return quote! { #![doc = #marker] };
    }
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

thread_local! {
    /// The doc texts of the piece being emitted on this thread, while [`set_aside`] runs.
    static SET_ASIDE: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// What stands for a text set aside: the text's index between two `U+0001`s, which no laid-out
/// line holds otherwise (string literals are printed escaped; doc texts are all set aside).
const MARK: char = '\u{1}';

/// Sets `text` aside if [`set_aside`] is running, and returns its marker. A text of no lines has
/// no attributes, and no marker.
fn set_aside_text(text: &str) -> Option<String> {
    text.lines().next()?;
    SET_ASIDE.with(|texts| {
        let mut texts = texts.borrow_mut();
        let texts = texts.as_mut()?;
        texts.push(text.to_owned());
        Some(format!("{MARK}{}{MARK}", texts.len() - 1))
    })
}

/// The doc texts of one piece, set aside while it was emitted.
#[derive(Debug, Default)]
pub struct DocTexts(Vec<String>);

/// Runs `emit` with doc texts set aside: each doc block stands in the tokens as one marker
/// attribute, and [`DocTexts::restore`] puts the text back once the tokens are laid out. A
/// quarter of the output is docs; as tokens, each line would be escaped into a literal, parsed,
/// unescaped and printed again.
pub fn set_aside<T>(emit: impl FnOnce() -> T) -> (T, DocTexts) {
    /// Puts the thread's earlier state back when dropped, also when `emit` panics (a caller that
    /// catches the panic goes on emitting on this thread, and must get attributes, not markers).
    struct Restore(Option<Vec<String>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            SET_ASIDE.with(|texts| texts.replace(outer));
        }
    }
    let _restore = Restore(SET_ASIDE.with(|texts| texts.replace(Some(Vec::new()))));
    let out = emit();
    let texts = SET_ASIDE.with(|texts| texts.borrow_mut().take());
    (out, DocTexts(texts.unwrap_or_default()))
}

impl DocTexts {
    /// `laid_out` with each marker line replaced by its text, laid out as prettyplease lays out
    /// doc attributes: `///` (or `//!`) and the line, trailing spaces trimmed, at the marker's
    /// indentation.
    pub fn restore(&self, laid_out: String) -> String {
        if self.0.is_empty() {
            return laid_out;
        }
        let extra: usize = self.0.iter().map(String::len).sum();
        let mut out = String::with_capacity(laid_out.len() + 2 * extra);
        // From one marker's line to the next's: most lines have none, and are copied whole.
        let mut rest = laid_out.as_str();
        while let Some(at) = memchr::memchr(MARK as u8, rest.as_bytes()) {
            let start = memchr::memrchr(b'\n', &rest.as_bytes()[..at]).map_or(0, |n| n + 1);
            let end =
                memchr::memchr(b'\n', &rest.as_bytes()[at..]).map_or(rest.len(), |n| at + n + 1);
            out.push_str(&rest[..start]);
            let line = &rest[start..end];
            rest = &rest[end..];
            let Some((indent, opener, text)) = self.marked(line) else {
                out.push_str(line);
                continue;
            };
            for doc in doc_lines(text) {
                out.push_str(indent);
                out.push_str(opener);
                out.push_str(doc.trim_end_matches(' '));
                out.push('\n');
            }
        }
        out.push_str(rest);
        out
    }

    /// A marker line's indentation, its `///` or `//!`, and the text it stands for.
    fn marked<'a>(&'a self, line: &'a str) -> Option<(&'a str, &'a str, &'a str)> {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let unindented = body.trim_start_matches(' ');
        let indent = &body[..body.len() - unindented.len()];
        let opener = ["///", "//!"]
            .into_iter()
            .find(|o| unindented.starts_with(o))?;
        let index = unindented[opener.len()..]
            .strip_prefix(MARK)?
            .strip_suffix(MARK)?;
        let text = self.0.get(index.parse::<usize>().ok()?)?;
        Some((indent, opener, text))
    }
}

/// Rewrites a description so rustdoc shows it as written: brackets and angle brackets are escaped (no
/// broken intra-doc links or stray HTML), bare URLs become autolinks, indentation is dropped (no
/// accidental code blocks), and code fences are marked `text` (never compiled as doctests).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    // The width of the marker of the list item the lines belong to, until a blank line: a line
    // that continues the item is indented under it (rustdoc would read it lazily).
    let mut item: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let raw = raw.replace('\t', "    ");
        let line = raw.trim();
        if line.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
            item = None;
            continue;
        }
        if in_fence {
            out.push_str(&raw);
            continue;
        }
        match list_marker(line) {
            Some(width) => item = Some(width),
            None if line.is_empty() => item = None,
            None => {
                if let Some(width) = item {
                    out.extend(std::iter::repeat_n(' ', width));
                }
            }
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

/// The width of a Markdown list item's marker (`* `, `- `, `+ `, `1. `, `2) `) a line starts
/// with, if it is one.
fn list_marker(line: &str) -> Option<usize> {
    if ["* ", "- ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
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

    /// prettyplease's layout of `tokens`, one item.
    fn laid_out(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    /// Tabs become spaces, and a line continuing a list item is indented under it (SendGrid's
    /// descriptions), so rustdoc and clippy read what the text means.
    #[test]
    fn list_items_continued_on_the_next_line_stay_in_the_item() {
        let text = "Fields:\n\n* one\nmore of one\n12. two\nmore\n\nafter\ta tab";
        assert_eq!(
            sanitize(text),
            "Fields:\n\n* one\n  more of one\n12. two\n    more\n\nafter    a tab"
        );
    }

    #[test]
    fn docs_set_aside_come_back_as_the_attributes_would_lay_out() {
        let texts = [
            "One line.",
            "Trailing spaces   \n\n  indented, `code`, /slashes/ and \\[escapes\\]\n\u{1}0\u{1}",
            "A *bold* start\n//! not inner\n/// not outer",
        ];
        let item = |outer: TokenStream, field: TokenStream, inner: TokenStream| {
            quote! {
                #outer
                pub mod m {
                    #inner
                    pub struct S {
                        #field
                        pub f: u8,
                    }
                }
            }
        };
        let direct = laid_out(item(
            lines(texts[0]),
            lines(texts[1]),
            inner_lines(texts[2]),
        ));
        let (tokens, docs) =
            set_aside(|| item(lines(texts[0]), lines(texts[1]), inner_lines(texts[2])));
        assert_eq!(docs.0.len(), 3, "every text is set aside");
        assert_eq!(docs.restore(laid_out(tokens)), direct);
        // An empty text has no attribute, set aside or not.
        let (tokens, docs) = set_aside(|| item(lines(texts[0]), lines(""), quote!()));
        assert_eq!(docs.0.len(), 1);
        assert_eq!(
            docs.restore(laid_out(tokens)),
            laid_out(item(lines(texts[0]), quote!(), quote!()))
        );
        // Outside `set_aside`, after a panic inside it too, the attributes are written out.
        let _ = std::panic::catch_unwind(|| set_aside(|| -> () { panic!("emit failed") }));
        assert!(!laid_out(item(lines(texts[0]), quote!(), quote!())).contains(MARK));
    }

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
