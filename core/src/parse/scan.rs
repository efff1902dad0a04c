//! Finding the dispatch tag (`pg_provider`) without parsing the body.
//!
//! The scanner reads only the top level of the object: it decodes keys
//! (escapes included, so `"pg_\u0070rovider"` is the tag), skips every other
//! value without looking inside (so a nested `pg_provider` or the tag's text
//! inside a string never matches), and stops at the first occurrence of the
//! key. It does not validate: the typed parse that follows does, and it
//! re-checks the tag, rejects a second occurrence, and reports positions. When
//! the scanner cannot make sense of the bytes it says so, and the caller falls
//! back to a full parse rather than guessing.

use std::borrow::Cow;

use crate::error::Position;

/// What the top level of a JSON body says about the tag key.
#[derive(Debug, PartialEq, Eq)]
pub enum TagScan<'a> {
    /// The first occurrence holds this string.
    Found(Cow<'a, str>),
    /// The key is absent, or its first occurrence is `null`.
    Absent,
    /// The first occurrence holds a non-string value of JSON type `found`,
    /// starting at byte `offset`.
    NotAString {
        /// `"number"`, `"boolean"`, `"object"` or `"array"`.
        found: &'static str,
        /// Byte offset of the value.
        offset: usize,
    },
    /// The bytes are not a well-formed object as far as the scanner reads;
    /// a full parse must decide (and will report the precise error).
    Unscannable,
}

/// Scans `json` for the top-level `key`.
pub fn scan_tag<'a>(json: &'a [u8], key: &str) -> TagScan<'a> {
    Scanner { bytes: json, at: 0 }
        .tag(key)
        .unwrap_or(TagScan::Unscannable)
}

/// The string value of the first `"pg_provider"` followed by a colon,
/// anywhere in the text: a guess, not a scan (the match may be nested). It
/// lets the dispatch keep a body of a PG without a schema whole without
/// first reading its values as typed ones; whoever acts on the guess checks
/// it against the object's own top-level tag. `None` where the first such
/// key's value is not a plain string (escapes included).
pub fn guess_tag(text: &str) -> Option<&str> {
    static KEY: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"pg_provider\""));
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        let at = from + KEY.find(&bytes[from..])? + KEY.needle().len();
        let mut scanner = Scanner { bytes, at };
        scanner.whitespace();
        if scanner.next() != Some(b':') {
            // The key's text as a value (`"name":"pg_provider"`): look on.
            from = at;
            continue;
        }
        scanner.whitespace();
        let (inner, escaped) = scanner.raw_string()?;
        return match escaped {
            false => std::str::from_utf8(inner).ok(),
            true => None,
        };
    }
}

/// 1-based line and column of byte `offset` in `json`.
pub fn position_of(json: &[u8], offset: usize) -> Position {
    let before = &json[..offset.min(json.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Position {
        line,
        column: before.len() - line_start + 1,
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn tag(&mut self, key: &str) -> Option<TagScan<'a>> {
        self.whitespace();
        self.expect(b'{')?;
        self.whitespace();
        if self.peek() == Some(b'}') {
            return Some(TagScan::Absent);
        }
        loop {
            self.whitespace();
            let is_tag = self.key_equals(key)?;
            self.whitespace();
            self.expect(b':')?;
            self.whitespace();
            if is_tag {
                let offset = self.at;
                return Some(match self.peek()? {
                    b'"' => TagScan::Found(self.string()?),
                    b'n' if self.bytes[self.at..].starts_with(b"null") => TagScan::Absent,
                    b'{' => TagScan::NotAString {
                        found: "object",
                        offset,
                    },
                    b'[' => TagScan::NotAString {
                        found: "array",
                        offset,
                    },
                    b't' | b'f' => TagScan::NotAString {
                        found: "boolean",
                        offset,
                    },
                    b'-' | b'0'..=b'9' => TagScan::NotAString {
                        found: "number",
                        offset,
                    },
                    _ => return None,
                });
            }
            self.skip_value()?;
            self.whitespace();
            match self.next()? {
                b',' => continue,
                b'}' => return Some(TagScan::Absent),
                _ => return None,
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// Skips a string starting at its opening quote; returns the bytes between
    /// the quotes and whether they contain escapes.
    fn raw_string(&mut self) -> Option<(&'a [u8], bool)> {
        self.expect(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            let rel = self.bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            self.at += rel;
            if self.bytes[self.at] == b'"' {
                let inner = &self.bytes[start..self.at];
                self.at += 1;
                return Some((inner, escaped));
            }
            escaped = true;
            // The backslash and the escaped byte: `\"` must not end the string.
            self.at += 2;
            if self.at > self.bytes.len() {
                return None;
            }
        }
    }

    fn key_equals(&mut self, key: &str) -> Option<bool> {
        let start = self.at;
        let (inner, escaped) = self.raw_string()?;
        if !escaped {
            return Some(inner == key.as_bytes());
        }
        let decoded: String = serde_json::from_slice(&self.bytes[start..self.at]).ok()?;
        Some(decoded == key)
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at;
        let (inner, escaped) = self.raw_string()?;
        if escaped {
            serde_json::from_slice::<String>(&self.bytes[start..self.at])
                .ok()
                .map(Cow::Owned)
        } else {
            std::str::from_utf8(inner).ok().map(Cow::Borrowed)
        }
    }

    /// Skips one value without validating it; nesting is counted, not recursed.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.raw_string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.raw_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                let start = self.at;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(json: &str) -> TagScan<'_> {
        scan_tag(json.as_bytes(), "pg_provider")
    }

    #[test]
    fn finds_the_top_level_tag_only() {
        assert_eq!(
            scan(r#"{"pg_provider":"kcp"}"#),
            TagScan::Found("kcp".into())
        );
        assert_eq!(
            scan(
                r#" { "a" : [1,{"pg_provider":"x"}], "b":"\"pg_provider\":\"y\"", "pg_provider" : "kcp" } "#
            ),
            TagScan::Found("kcp".into())
        );
        assert_eq!(
            scan(r#"{"custom_data":{"pg_provider":"kcp"}}"#),
            TagScan::Absent
        );
        assert_eq!(scan(r#"{"name":"pg_provider","x":1}"#), TagScan::Absent);
        assert_eq!(
            scan(r#"{"pg_\u0070rovider":"nice"}"#),
            TagScan::Found("nice".into())
        );
        assert_eq!(
            scan(r#"{"pg_provider":"ni\u0063e"}"#),
            TagScan::Found("nice".into())
        );
        assert_eq!(
            scan(r#"{"pg_provider":null,"pg_provider":"kcp"}"#),
            TagScan::Absent
        );
        assert_eq!(scan("{}"), TagScan::Absent);
    }

    #[test]
    fn reports_a_non_string_tag_with_its_position() {
        let json = "{\n  \"pg_provider\": 12}";
        assert_eq!(
            scan(json),
            TagScan::NotAString {
                found: "number",
                offset: 19
            }
        );
        assert_eq!(
            position_of(json.as_bytes(), 19),
            Position {
                line: 2,
                column: 18
            }
        );
    }

    #[test]
    fn gives_up_rather_than_guesses() {
        for bad in [
            "",
            "[]",
            "\"kcp\"",
            "{",
            r#"{"a":"#,
            r#"{"a" 1}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"pg_provider":"kcp"#,
            "\u{feff}{}",
            r#"{"pg_provider":"\ud800"}"#,
            r#"{"a":"\"#,
        ] {
            assert_eq!(scan(bad), TagScan::Unscannable, "{bad:?}");
        }
    }

    #[test]
    fn a_guess_takes_the_first_plain_string_after_the_key() {
        assert_eq!(
            guess_tag(r#"{"a":1, "pg_provider" : "newpg"}"#),
            Some("newpg")
        );
        // Nested and value matches are the caller's to check.
        assert_eq!(
            guess_tag(r#"{"c":{"pg_provider":"x"},"pg_provider":"y"}"#),
            Some("x")
        );
        assert_eq!(
            guess_tag(r#"{"n":"pg_provider","pg_provider":"y"}"#),
            Some("y")
        );
        for none in [
            r#"{"imp_uid":"imp_1"}"#,
            r#"{"pg_provider":null}"#,
            r#"{"pg_provider":"ni\u0063e"}"#,
            r#"{"pg_provider":"kcp"#,
            r#"{"pg_provider""#,
            r#"{"pg_\u0070rovider":"nice"}"#,
        ] {
            assert_eq!(guess_tag(none), None, "{none}");
        }
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let deep = format!(
            r#"{{"custom_data":{}{}, "pg_provider":"kcp"}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(scan(&deep), TagScan::Found("kcp".into()));
    }
}
