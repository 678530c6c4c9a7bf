//! The small part of RFC 3986 that `$ref` resolution needs: resolving a reference against a base URI.

use std::path::Path;

/// Whether `s` starts with a URI scheme (`https:`, `urn:`, `file:` …).
pub fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// Splits `uri#fragment` into the resource and the fragment (without `#`).
pub fn split_fragment(uri: &str) -> (&str, Option<&str>) {
    match uri.split_once('#') {
        Some((resource, fragment)) => (resource, Some(fragment)),
        None => (uri, None),
    }
}

/// The `file://` URI of a path.
pub fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    if text.starts_with('/') {
        format!("file://{text}")
    } else {
        format!("file:///{text}")
    }
}

/// Decodes `%XX` escapes (invalid escapes are kept as they are).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two hex digits exactly (`from_str_radix` alone would take a sign).
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `reference` against `base` (RFC 3986 §5.2, without query handling subtleties).
pub fn resolve(base: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return reference.to_owned();
    }
    let (base_resource, _) = split_fragment(base);
    if reference.is_empty() {
        return base_resource.to_owned();
    }
    if reference.starts_with('#') {
        return format!("{base_resource}{reference}");
    }
    let scheme_end = base_resource.find(':').map_or(0, |i| i + 1);
    let (scheme, rest) = base_resource.split_at(scheme_end);
    if let Some(stripped) = reference.strip_prefix("//") {
        return format!("{scheme}//{stripped}");
    }
    // Split the base into authority and path.
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let cut = after.find('/').unwrap_or(after.len());
            (format!("//{}", &after[..cut]), &after[cut..])
        }
        None => (String::new(), rest),
    };
    let (ref_path, ref_fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (reference, None),
    };
    let merged = if ref_path.starts_with('/') {
        ref_path.to_owned()
    } else {
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None if authority.is_empty() => "",
            None => "/",
        };
        format!("{dir}{ref_path}")
    };
    let mut out = format!("{scheme}{authority}{}", remove_dot_segments(&merged));
    if let Some(f) = ref_fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *seg {
            "." => {
                if last {
                    segments.push("");
                }
            }
            ".." => {
                if segments.len() > 1 {
                    segments.pop();
                }
                if last {
                    segments.push("");
                }
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_references() {
        assert_eq!(
            resolve("file:///s/sakari/contact.json", "mobile.json"),
            "file:///s/sakari/mobile.json"
        );
        assert_eq!(
            resolve("file:///s/sakari/contact.json", "../c/x.json#/a"),
            "file:///s/c/x.json#/a"
        );
        assert_eq!(
            resolve("file:///s/a.json", "#/$defs/X"),
            "file:///s/a.json#/$defs/X"
        );
        assert_eq!(
            resolve("http://localhost:1234/tree", "node"),
            "http://localhost:1234/node"
        );
        assert_eq!(
            resolve("http://x.com/a/b.json", "/c.json"),
            "http://x.com/c.json"
        );
        assert_eq!(
            resolve("http://x.com/a/b.json", "urn:uuid:1#foo"),
            "urn:uuid:1#foo"
        );
        assert_eq!(resolve("urn:example:root", "#/a"), "urn:example:root#/a");
        assert_eq!(resolve("http://x.com", "y.json"), "http://x.com/y.json");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/$defs/a%25b"), "/$defs/a%b");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%+1%-1"), "%+1%-1");
    }
}
