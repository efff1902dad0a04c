//! A JSON reader for the one shape the bodies of the thin PGs have: a
//! single object whose values are strings, `null`, `true` or `false`.
//!
//! It drives a visitor through the calls serde_json makes for that shape
//! (`visit_map`; a key or string value as `visit_borrowed_str`, or
//! `visit_str` where it held an escape; `null` as `visit_unit` or
//! `visit_none`; a boolean as `visit_bool`), so that a body it reads gives
//! exactly what serde_json gives. Everything else *declines*: a number, a
//! nested value, an escape it does not decode, a raw value, anything
//! after the object, or any error the visitor returns. The caller then
//! reads the body with serde_json, which decides and words every error.
//!
//! It exists for speed: on a body of two short ids, serde_json's general
//! machinery (set up for long strings and deep values) costs more than
//! everything else the parse does.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use super::words;

/// Why [`read_flat`] gave up. It carries nothing: serde_json reads the body
/// again to say what is wrong.
#[derive(Debug)]
pub struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a flat object of strings, nulls and booleans")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    #[cold]
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

/// Reads `text` with `read`, which gets a deserializer of one flat object;
/// `None` where the text has any other shape, where anything but
/// whitespace follows the object, or where `read` fails.
#[inline]
pub fn read_flat<'de, T>(
    text: &'de str,
    read: impl FnOnce(&mut FlatReader<'de>) -> Result<T, Declined>,
) -> Option<T> {
    let mut reader = FlatReader {
        text,
        at: 0,
        scratch: String::new(),
    };
    let value = read(&mut reader).ok()?;
    reader.skip_whitespace();
    (reader.at == text.len()).then_some(value)
}

/// The deserializer [`read_flat`] hands out.
pub struct FlatReader<'de> {
    text: &'de str,
    /// The next byte to read.
    at: usize,
    /// A string that held an escape, decoded.
    scratch: String,
}

/// A string as read: a slice of the text, or decoded into the scratch
/// buffer because it held an escape.
enum Text<'de, 's> {
    Borrowed(&'de str),
    Decoded(&'s str),
}

impl<'de> Text<'de, '_> {
    fn visit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self {
            Text::Borrowed(text) => visitor.visit_borrowed_str(text),
            Text::Decoded(text) => visitor.visit_str(text),
        }
    }
}

impl<'de> FlatReader<'de> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips JSON's four whitespace bytes.
    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// Consumes `byte`, after any whitespace.
    #[inline]
    fn expect(&mut self, byte: u8) -> Result<(), Declined> {
        self.skip_whitespace();
        if self.peek() != Some(byte) {
            return Err(Declined);
        }
        self.at += 1;
        Ok(())
    }

    /// Consumes `word` (`null`, `true`, `false`) at the next byte.
    #[inline]
    fn literal(&mut self, word: &str) -> Result<(), Declined> {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        if !rest.starts_with(word.as_bytes()) {
            return Err(Declined);
        }
        self.at += word.len();
        Ok(())
    }

    /// The string whose opening quote is the next byte.
    #[inline(always)]
    fn string(&mut self) -> Result<Text<'de, '_>, Declined> {
        let start = self.at + 1;
        let end = plain_end(self.text.as_bytes(), start);
        if self.text.as_bytes().get(end) == Some(&b'"') {
            self.at = end + 1;
            // Both ends are next to a quote, an ASCII byte: char boundaries.
            return self
                .text
                .get(start..end)
                .map(Text::Borrowed)
                .ok_or(Declined);
        }
        self.decode(start, end)
    }

    /// The rest of a string that holds an escape at `end` (or a control
    /// character, or no closing quote, which decline), decoded.
    #[cold]
    #[inline(never)]
    fn decode(&mut self, start: usize, mut end: usize) -> Result<Text<'de, '_>, Declined> {
        let bytes = self.text.as_bytes();
        self.scratch.clear();
        let mut from = start;
        while bytes.get(end) == Some(&b'\\') {
            self.scratch
                .push_str(self.text.get(from..end).ok_or(Declined)?);
            let (decoded, len) = escape(bytes.get(end + 1..).unwrap_or_default())?;
            self.scratch.push(decoded);
            from = end + 1 + len;
            end = plain_end(bytes, from);
        }
        if bytes.get(end) != Some(&b'"') {
            return Err(Declined);
        }
        self.scratch
            .push_str(self.text.get(from..end).ok_or(Declined)?);
        self.at = end + 1;
        Ok(Text::Decoded(&self.scratch))
    }
}

/// Where the plain run of a string starting at `from` ends: the first quote,
/// backslash or control character, or the end of the text.
#[inline]
fn plain_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    // Eight bytes at a time: ids are short, and a loop over single bytes
    // would cost more than the rest of the parse.
    while let Some(chunk) = bytes.get(end..end + 8) {
        // Loaded here rather than by `words::word`: through that call this
        // loop compiles to about 15 more instructions per string.
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let stops = stops(u64::from_le_bytes(word));
        if stops != 0 {
            return end + stops.trailing_zeros() as usize / 8;
        }
        end += 8;
    }
    let rest = bytes.get(end..).unwrap_or_default();
    end + rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(rest.len())
}

/// The bytes of `word` that end a plain run: a quote, a backslash or a
/// control character (only the lowest is exact, and only it is used).
#[inline]
fn stops(word: u64) -> u64 {
    words::equal_to(word, b'"') | words::equal_to(word, b'\\') | words::below(word, 0x20)
}

/// The character an escape stands for, given the bytes after its
/// backslash, and how many of them it took. JSON's escapes only; a lone
/// surrogate declines, as serde_json refuses it.
fn escape(after: &[u8]) -> Result<(char, usize), Declined> {
    let simple = match after.first() {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let unit = hex4(after.get(1..5))?;
            return match unit {
                0xD800..=0xDBFF => {
                    // A leading surrogate: the trailing one must follow.
                    if after.get(5..7) != Some(b"\\u") {
                        return Err(Declined);
                    }
                    let low = hex4(after.get(7..11))?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return Err(Declined);
                    }
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    char::from_u32(code).map(|c| (c, 11)).ok_or(Declined)
                }
                _ => char::from_u32(unit).map(|c| (c, 5)).ok_or(Declined),
            };
        }
        _ => return Err(Declined),
    };
    Ok((simple, 1))
}

/// Four hex digits.
fn hex4(digits: Option<&[u8]>) -> Result<u32, Declined> {
    let digits = digits.ok_or(Declined)?;
    digits.iter().try_fold(0, |unit, &digit| {
        let value = char::from(digit).to_digit(16).ok_or(Declined)?;
        Ok(unit << 4 | value)
    })
}

/// Declines every `deserialize_*` method not written out: the flat shape
/// has no numbers, sequences, nested maps or raw values.
macro_rules! decline {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* _: V) -> Result<V::Value, Declined> {
                $(let _ = $arg;)*
                Err(Declined)
            }
        )*
    };
}

/// [`decline!`] for the methods no deserializer here implements.
macro_rules! decline_the_rest {
    () => {
        decline! {
            deserialize_i8() deserialize_i16() deserialize_i32() deserialize_i64()
            deserialize_i128() deserialize_u8() deserialize_u16() deserialize_u32()
            deserialize_u64() deserialize_u128() deserialize_f32() deserialize_f64()
            deserialize_char() deserialize_bytes() deserialize_byte_buf()
            deserialize_seq() deserialize_tuple(len: usize)
            deserialize_tuple_struct(name: &'static str, len: usize)
            deserialize_unit_struct(name: &'static str)
            deserialize_newtype_struct(name: &'static str)
            deserialize_struct(name: &'static str, fields: &'static [&'static str])
            deserialize_enum(name: &'static str, variants: &'static [&'static str])
            deserialize_ignored_any()
        }
    };
}

/// The top level: one object.
impl<'de> de::Deserializer<'de> for &mut FlatReader<'de> {
    type Error = Declined;

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.expect(b'{')?;
        visitor.visit_map(Entries {
            reader: self,
            first: true,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_map(visitor)
    }

    decline! {
        deserialize_bool() deserialize_str() deserialize_string() deserialize_identifier()
        deserialize_option() deserialize_unit()
    }
    decline_the_rest!();
}

/// The entries of the object.
struct Entries<'a, 'de> {
    reader: &'a mut FlatReader<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        let reader = &mut *self.reader;
        reader.skip_whitespace();
        match reader.peek() {
            Some(b'}') => {
                reader.at += 1;
                return Ok(None);
            }
            Some(b',') if !self.first => {
                reader.at += 1;
                reader.skip_whitespace();
            }
            _ if self.first => {}
            _ => return Err(Declined),
        }
        self.first = false;
        if reader.peek() != Some(b'"') {
            return Err(Declined);
        }
        seed.deserialize(Key(reader.string()?)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Declined> {
        self.reader.expect(b':')?;
        self.reader.skip_whitespace();
        seed.deserialize(Value(&mut *self.reader))
    }
}

/// A key: a string to every method that reads one, as serde_json gives it.
struct Key<'de, 's>(Text<'de, 's>);

impl<'de> de::Deserializer<'de> for Key<'de, '_> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.0.visit(visitor)
    }

    serde::forward_to_deserialize_any! { str string identifier }

    decline! {
        deserialize_bool() deserialize_option() deserialize_unit() deserialize_map()
    }
    decline_the_rest!();
}

/// A value, whose first byte is next.
struct Value<'a, 'de>(&'a mut FlatReader<'de>);

impl<'de> Value<'_, 'de> {
    /// `deserialize_any` for a value that starts with one of `first`: a
    /// method for one type, where serde_json refuses any other.
    fn any_starting_with<V: Visitor<'de>>(
        self,
        first: &[u8],
        visitor: V,
    ) -> Result<V::Value, Declined> {
        match self.0.peek() {
            Some(byte) if first.contains(&byte) => de::Deserializer::deserialize_any(self, visitor),
            _ => Err(Declined),
        }
    }
}

impl<'de> de::Deserializer<'de> for Value<'_, 'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        let reader = self.0;
        match reader.peek() {
            Some(b'"') => reader.string()?.visit(visitor),
            Some(b'n') => {
                reader.literal("null")?;
                visitor.visit_unit()
            }
            Some(b't') => {
                reader.literal("true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                reader.literal("false")?;
                visitor.visit_bool(false)
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.any_starting_with(b"\"", visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.any_starting_with(b"tf", visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.any_starting_with(b"n", visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        let reader = self.0;
        if reader.peek() == Some(b'n') {
            reader.literal("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(Value(reader))
        }
    }

    decline! { deserialize_map() }
    decline_the_rest!();
}

#[cfg(test)]
mod tests;
