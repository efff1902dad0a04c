//! The macro's arguments, `dir = "schemas"` and optionally
//! `relative_to = manifest_dir | source_file`, read straight from the tokens.
//!
//! Four kinds of token are all the arguments ever hold, so they are read here
//! by hand rather than through `syn`: a parser crate on the path of every
//! user's cold build for a dozen tokens cost more than this file.

use proc_macro2::{Delimiter, Literal, Span, TokenStream, TokenTree};

/// A string literal's value and where it was written.
pub struct LitStr {
    pub value: String,
    pub span: Span,
}

/// The arguments of `schemas!`.
pub struct Args {
    pub dir: LitStr,
    pub relative_to_source: bool,
    /// Set by `extend_schemas!`: portone-pg's own schema directory, whose
    /// catalogue and shapes an integrator's PG files extend.
    pub builtin: Option<LitStr>,
}

/// A mistake in the arguments, at the token it concerns.
pub struct ArgError {
    pub span: Span,
    pub message: String,
}

/// Reads `key = value` pairs separated by commas (a trailing comma allowed).
pub fn parse(input: TokenStream) -> Result<Args, ArgError> {
    let mut tokens = flatten(input).into_iter().peekable();
    let mut dir = None;
    let mut relative_to_source = false;
    let mut builtin = None;
    while let Some(token) = tokens.next() {
        let TokenTree::Ident(key) = &token else {
            return Err(error(token.span(), "expected an argument such as `dir`"));
        };
        let name = key.to_string();
        match tokens.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => {}
            other => {
                let span = other.map_or(key.span(), |t| t.span());
                return Err(error(span, format!("expected `=` after `{name}`")));
            }
        }
        let value = tokens.next();
        match name.as_str() {
            "dir" => dir = Some(string(value, key.span())?),
            "builtin" => builtin = Some(string(value, key.span())?),
            "relative_to" => {
                relative_to_source = match &value {
                    Some(TokenTree::Ident(base)) if base == "manifest_dir" => false,
                    Some(TokenTree::Ident(base)) if base == "source_file" => true,
                    _ => {
                        let span = value.map_or(key.span(), |t| t.span());
                        return Err(error(span, "expected `manifest_dir` or `source_file`"));
                    }
                }
            }
            other => {
                return Err(error(
                    key.span(),
                    format!(
                        "unknown argument `{other}`; expected `dir = \"...\"` and optionally `relative_to = manifest_dir | source_file`"
                    ),
                ));
            }
        }
        match tokens.next() {
            None => break,
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            Some(other) => return Err(error(other.span(), "expected `,`")),
        }
    }
    let dir = dir.ok_or_else(|| {
        error(
            Span::call_site(),
            "missing `dir = \"...\"`: the schema directory",
        )
    })?;
    Ok(Args {
        dir,
        relative_to_source,
        builtin,
    })
}

fn error(span: Span, message: impl Into<String>) -> ArgError {
    ArgError {
        span,
        message: message.into(),
    }
}

/// The tokens with invisible groups opened: a literal passed on through a
/// `macro_rules!` fragment arrives wrapped in one.
fn flatten(input: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for token in input {
        match token {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                out.extend(flatten(g.stream()));
            }
            other => out.push(other),
        }
    }
    out
}

/// The value of a string literal token; `after` is the key, for the
/// position of a message when the value is missing.
fn string(token: Option<TokenTree>, after: Span) -> Result<LitStr, ArgError> {
    match token {
        Some(TokenTree::Literal(lit)) => match string_value(&lit) {
            Some(value) => Ok(LitStr {
                value,
                span: lit.span(),
            }),
            None => Err(error(lit.span(), "expected a string literal")),
        },
        Some(other) => Err(error(other.span(), "expected a string literal")),
        None => Err(error(after, "expected a string literal")),
    }
}

/// What a Rust string literal (`"…"` with escapes, or raw `r#"…"#`) denotes;
/// `None` for any other literal (numbers, byte strings, suffixed strings).
pub fn string_value(lit: &Literal) -> Option<String> {
    let text = lit.to_string();
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let fence = &raw[..hashes];
        let body = raw[hashes..].strip_prefix('"')?.strip_suffix(fence)?;
        return body.strip_suffix('"').map(str::to_owned);
    }
    unescape(text.strip_prefix('"')?.strip_suffix('"')?)
}

/// Resolves the escapes of a string literal's body.
fn unescape(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                let byte = u8::from_str_radix(&hex, 16).ok().filter(|b| b.is_ascii())?;
                out.push(char::from(byte));
            }
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex.replace('_', ""), 16).ok()?;
                out.push(char::from_u32(code)?);
            }
            // A line continuation: the newline and the next line's
            // leading whitespace are not part of the value.
            '\n' => {
                let rest = chars.as_str().trim_start();
                chars = rest.chars();
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Result<Args, String> {
        parse(text.parse().unwrap()).map_err(|e| e.message)
    }

    #[test]
    fn dir_relative_to_and_builtin() {
        let a = args(r#"dir = "schemas""#).ok().unwrap();
        assert_eq!(a.dir.value, "schemas");
        assert!(!a.relative_to_source && a.builtin.is_none());
        let a = args(r#"builtin = "C:\\pg\\schemas", dir = r"my\dir", relative_to = source_file,"#)
            .ok()
            .unwrap();
        assert_eq!(a.builtin.unwrap().value, r"C:\pg\schemas");
        assert_eq!(a.dir.value, r"my\dir");
        assert!(a.relative_to_source);
        let a = args(r###"relative_to = manifest_dir, dir = r##"a"#b"##"###)
            .ok()
            .unwrap();
        assert_eq!(a.dir.value, r##"a"#b"##);
        assert!(!a.relative_to_source);
    }

    #[test]
    fn escapes_resolve_as_rustc_reads_them() {
        let lit = |s: &str| string_value(&s.parse::<Literal>().unwrap());
        assert_eq!(lit(r#""a\n\t\"\'\\\0""#).unwrap(), "a\n\t\"'\\\0");
        assert_eq!(lit(r#""\x41\u{1F4B3}\u{d55c}""#).unwrap(), "A💳한");
        assert_eq!(lit("\"a\\\n    b\"").unwrap(), "ab");
        assert_eq!(lit("\"한글/경로\"").unwrap(), "한글/경로");
        assert_eq!(lit(r#"b"bytes""#), None);
        assert_eq!(lit(r#""suffixed"x"#), None);
        assert_eq!(lit("42"), None);
    }

    #[test]
    fn mistakes_are_named() {
        let message = |text: &str| args(text).err().unwrap();
        assert_eq!(message(""), "missing `dir = \"...\"`: the schema directory");
        assert!(message(r#"path = "x""#).starts_with("unknown argument `path`"));
        assert_eq!(message(r#"dir "x""#), "expected `=` after `dir`");
        assert_eq!(message("dir ="), "expected a string literal");
        assert_eq!(message("dir = 3"), "expected a string literal");
        assert_eq!(
            message(r#"dir = "x", relative_to = "source_file""#),
            "expected `manifest_dir` or `source_file`"
        );
        assert_eq!(message(r#"dir = "x" relative_to"#), "expected `,`");
        assert_eq!(message(r#""x""#), "expected an argument such as `dir`");
    }
}
