//! The flat reader against serde_json: what it reads, it reads alike.

use super::*;
use serde::Deserialize;
use serde_json::Value as Json;

/// What the flat reader gives for `text`, read as a `serde_json::Value`.
fn flat(text: &str) -> Option<Json> {
    read_flat(text, |reader| Json::deserialize(reader))
}

#[test]
fn reads_what_serde_json_reads() {
    for text in [
        r#"{"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004"}"#,
        "{}",
        " \t\r\n{ \"a\" : \"\" , \"b\":null,\"c\":true,\"d\":false } \n",
        r#"{"error_msg":"[PAY_PROCESS_CANCELED] 사용자가 결제를 취소하였습니다"}"#,
        r#"{"a":"tab\there \"quoted\" back\\slash \/ \b\f\n\r"}"#,
        r#"{"a":"\u00e9\uD55C\u0000 \ud83d\ude00","\u0062":"x"}"#,
        r#"{"a":"12345678","b":"1234567","c":"123456789","d":"\u007f\u0085"}"#,
        r#"{"a":"a","a":"b"}"#,
    ] {
        let expected: Json = serde_json::from_str(text).unwrap();
        assert_eq!(flat(text), Some(expected), "{text}");
    }
}

/// `T` read by the flat reader and by serde_json.
fn both<T: for<'de> Deserialize<'de>>(text: &str) -> (Option<T>, Option<T>) {
    let flat = read_flat(text, |reader| T::deserialize(reader));
    (flat, serde_json::from_str(text).ok())
}

/// The methods a visitor asks for one type by: where serde_json reads
/// the value as that type, so does the flat reader, and where serde_json
/// refuses it, the flat reader declines.
#[test]
fn reads_each_type_as_serde_json_does() {
    use std::collections::BTreeMap;
    for text in [
        r#"{"a":"x","b":"\n"}"#,
        r#"{"a":null}"#,
        r#"{"a":true}"#,
        r#"{"a":"x","b":null,"c":false}"#,
    ] {
        let (flat, theirs) = both::<BTreeMap<String, String>>(text);
        assert_eq!(flat, theirs, "{text}");
        let (flat, theirs) = both::<BTreeMap<String, Option<String>>>(text);
        assert_eq!(flat, theirs, "{text}");
        let (flat, theirs) = both::<BTreeMap<String, Option<bool>>>(text);
        assert_eq!(flat, theirs, "{text}");
        let (flat, theirs) = both::<BTreeMap<String, bool>>(text);
        assert_eq!(flat, theirs, "{text}");
        let (flat, theirs) = both::<BTreeMap<String, ()>>(text);
        assert_eq!(flat, theirs, "{text}");
    }
    // Reads where serde_json reads: one of each type.
    assert!(both::<BTreeMap<String, ()>>(r#"{"a":null}"#).0.is_some());
    assert!(both::<BTreeMap<String, bool>>(r#"{"a":true}"#).0.is_some());
    assert!(
        both::<BTreeMap<String, Option<bool>>>(r#"{"a":null}"#)
            .0
            .is_some()
    );
}

#[test]
fn declines_every_other_shape() {
    for text in [
        "",
        " ",
        "[]",
        "null",
        r#""a""#,
        r#"{"a":1}"#,
        r#"{"a":-1}"#,
        r#"{"a":{}}"#,
        r#"{"a":[]}"#,
        r#"{"a":"b"} x"#,
        r#"{"a":"b"}{}"#,
        r#"{"a":"b",}"#,
        r#"{,"a":"b"}"#,
        r#"{"a""b"}"#,
        r#"{"a":"b""c":"d"}"#,
        r#"{"a":"b"#,
        r#"{"a":nul}"#,
        r#"{"a":tru}"#,
        r#"{"a":False}"#,
        r#"{"a":"\x"}"#,
        r#"{"a":"\u12"}"#,
        r#"{"a":"\u12g4"}"#,
        r#"{"a":"\ud800"}"#,
        r#"{"a":"\ud800\u0041"}"#,
        r#"{"a":"\udc00"}"#,
        "{\"a\":\"raw\ttab\"}",
        "{\"a\":\"raw\nline\"}",
        r#"{"a":"b"\u0000}"#,
        "\u{feff}{}",
        r#"{a:"b"}"#,
    ] {
        assert_eq!(flat(text), None, "{text}");
    }
}

/// Bodies near the flat shape, each a few random edits away from one
/// that is: where the flat reader reads one, serde_json reads the same.
#[test]
fn reads_nothing_differently_from_serde_json() {
    let seeds = [
        r#"{"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004"}"#,
        r#"{"a":"\u00e9\\ \"q\" \ud83d\ude00","b":null,"c":true,"d":false}"#,
        "{ \"error_msg\" : \"결제 취소\" , \"e\":\"12345678\" }",
    ];
    let pieces: [&[u8]; 16] = [
        b"{",
        b"}",
        b"\"",
        b":",
        b",",
        b" ",
        b"\\",
        b"u",
        b"d8",
        b"n",
        b"a",
        b"0",
        b"\t",
        b"\x7f",
        "é".as_bytes(),
        b"true",
    ];
    // xorshift: the same bodies on every run.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let (mut read, mut checked) = (0, 0);
    for _ in 0..60_000 {
        let mut body = seeds[random(seeds.len())].as_bytes().to_vec();
        for _ in 0..=random(3) {
            let at = random(body.len() + 1);
            match random(3) {
                0 if at < body.len() => {
                    body.remove(at);
                }
                1 if at < body.len() => {
                    body.splice(at..=at, pieces[random(pieces.len())].iter().copied());
                }
                _ => {
                    body.splice(at..at, pieces[random(pieces.len())].iter().copied());
                }
            }
        }
        let Ok(text) = std::str::from_utf8(&body) else {
            continue;
        };
        if let Some(ours) = flat(text) {
            let theirs = serde_json::from_str::<Json>(text).ok();
            assert_eq!(Some(ours), theirs, "{text}");
            read += 1;
        }
        checked += 1;
    }
    assert!(read > 5_000 && checked > 50_000, "{read} of {checked}");
}

#[test]
fn finds_the_end_of_a_plain_run_at_every_offset() {
    for len in 0..40 {
        for stop in ["\"", "\\", "\u{1}", "\u{1f}"] {
            let text = format!("{}{stop}tail", "x".repeat(len));
            assert_eq!(plain_end(text.as_bytes(), 0), len, "{text:?}");
        }
        // DEL and the bytes of other characters do not stop a run.
        let text = format!("{}\u{7f}\u{85}한", "x".repeat(len));
        assert_eq!(plain_end(text.as_bytes(), 0), text.len());
    }
}
