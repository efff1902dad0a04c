//! The one-pass dispatch (the typed parse learns the PG from the tag) must
//! give exactly what the two-pass dispatch (scan for the tag, then parse)
//! gives, for every input: the same variant and value, or the same error.

use crate::support;

use portone_pg::__private::Readers;
use portone_pg::PaymentResponse;
use serde_json::{Map, Value};

fn fixtures() -> Vec<(Map<String, Value>, Option<String>)> {
    support::manifest("callbacks")
        .into_iter()
        .map(|entry| {
            let body: Map<String, Value> =
                serde_json::from_slice(&support::read("callbacks", &entry.file)).unwrap();
            (body, entry.pg)
        })
        .collect()
}

/// An object written with its keys in the given order.
fn write(entries: &[(&String, &Value)]) -> String {
    let fields: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// The body in several key orders and with keys added or taken away: the
/// tag first or last, a property the PG may not list placed before the tag,
/// the tag gone or `"null"`.
fn variants(body: &Map<String, Value>) -> Vec<String> {
    let entries: Vec<(&String, &Value)> = body.iter().collect();
    let mut out = vec![write(&entries)];
    let mut reversed = entries.clone();
    reversed.reverse();
    out.push(write(&reversed));
    let tag = entries.iter().position(|(k, _)| *k == "pg_provider");
    if let Some(i) = tag {
        let mut first = entries.clone();
        let t = first.remove(i);
        first.insert(0, t);
        out.push(write(&first));
        let mut last = entries.clone();
        let t = last.remove(i);
        last.push(t);
        out.push(write(&last));
        let mut without = entries.clone();
        without.remove(i);
        out.push(write(&without));
    }
    let (customer_uid, vbank_num, extra, null_tag, kcp) = (
        "customer_uid".to_owned(),
        "vbank_num".to_owned(),
        "x_unlisted".to_owned(),
        "pg_provider".to_owned(),
        Value::from("kcp"),
    );
    let (cu, vn, ex, null) = (
        Value::from("billing-1"),
        Value::from("123"),
        Value::from(1),
        Value::from("null"),
    );
    for added in [(&customer_uid, &cu), (&vbank_num, &vn), (&extra, &ex)] {
        let mut with = entries.clone();
        with.retain(|(k, _)| *k != added.0);
        with.insert(0, added);
        out.push(write(&with));
    }
    let mut null_tagged = entries.clone();
    null_tagged.retain(|(k, _)| *k != "pg_provider");
    null_tagged.push((&null_tag, &null));
    out.push(write(&null_tagged));
    let mut kcp_tagged = entries.clone();
    kcp_tagged.retain(|(k, _)| *k != "pg_provider");
    kcp_tagged.insert(0, (&null_tag, &kcp));
    out.push(write(&kcp_tagged));
    out
}

/// Two dispatch paths gave the same variant and value, or the same error.
fn assert_agree(
    a: &Result<PaymentResponse, portone_pg::Error>,
    b: &Result<PaymentResponse, portone_pg::Error>,
    input: &str,
) {
    match (a, b) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{input}"),
        (Err(a), Err(b)) => {
            assert_eq!(a.kind(), b.kind(), "{input}");
            assert_eq!(a.to_string(), b.to_string(), "{input}");
        }
        _ => panic!("{input}\nfirst path: {a:?}\nsecond path: {b:?}"),
    }
}

/// Compares the two paths; `true` when the one-pass path decided alone.
fn same(json: &str, pg: Option<&str>) -> bool {
    let one = match pg {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, json.as_bytes()),
        None => PaymentResponse::from_json(json.as_bytes()),
    };
    let two = portone_pg::__private::two_pass::<PaymentResponse>(pg, json.as_bytes());
    assert_agree(&one, &two, &format!("pg {pg:?}: {json}"));
    // A compact PG's own parser, where it decides, decides alike, with
    // either JSON reader.
    if let Some(pg) = pg {
        let compact = |readers| portone_pg::__private::compact(pg, json.as_bytes(), readers);
        if let Some(compact) = compact(Readers::FlatFirst) {
            assert_agree(&Ok(compact), &two, &format!("compact, pg {pg:?}: {json}"));
        }
        if let Some(flat) = compact(Readers::FlatOnly) {
            let serde_json = compact(Readers::SerdeJsonOnly);
            assert_eq!(Some(flat), serde_json, "flat reader, pg {pg:?}: {json}");
        }
    }
    match portone_pg::__private::one_pass::<PaymentResponse>(pg, json.as_bytes()) {
        Some(alone) => {
            assert_eq!(
                alone.map_err(|e| e.to_string()),
                two.map_err(|e| e.to_string()),
                "pg {pg:?}: {json}"
            );
            true
        }
        None => false,
    }
}

#[test]
fn one_pass_and_two_pass_agree_on_every_fixture_and_its_variants() {
    let mut checked = 0;
    for (body, pg) in fixtures() {
        for json in variants(&body) {
            for hint in [
                pg.as_deref(),
                None,
                Some("kcp"),
                Some("tosspayments"),
                Some("newpg"),
            ] {
                same(&json, hint);
                checked += 1;
            }
        }
    }
    assert!(checked > 2000, "{checked}");
}

#[test]
fn a_body_received_for_a_compact_pg_is_read_by_its_own_parser() {
    use portone_pg::__private::compact;
    let two_keys = br#"{"imp_uid":"imp_1","merchant_uid":"o"}"#;
    let read = compact::<PaymentResponse>("tosspayments.store", two_keys, Readers::FlatFirst);
    assert!(
        matches!(read, Some(PaymentResponse::Tosspayments(_))),
        "{read:?}"
    );
    // Keys the PG does not list are kept, and its own tag is accepted.
    let tagged = br#"{"pg_provider":"tosspayments","merchant_uid":"o","x":[1]}"#;
    let read = compact::<PaymentResponse>("tosspayments", tagged, Readers::FlatFirst).unwrap();
    assert_eq!(read.extra().len(), 2);
    // Left to the dispatch: a PG with a full schema, another PG named (a
    // related module included), a missing id, a wrong type, bad text.
    for (pg, json) in [
        ("kcp", &two_keys[..]),
        (
            "tosspayments",
            br#"{"pg_provider":"kcp","merchant_uid":"o"}"#,
        ),
        (
            "html5_inicis",
            br#"{"pg_provider":"inicis_unified","merchant_uid":"o"}"#,
        ),
        ("tosspayments", br#"{"imp_uid":"imp_1"}"#),
        ("tosspayments", br#"{"imp_uid":1,"merchant_uid":"o"}"#),
        (
            "tosspayments",
            br#"{"imp_uid":"imp_1","merchant_uid":"o"} x"#,
        ),
        (
            "tosspayments",
            br#"{"merchant_uid":"o","merchant_uid":"p"}"#,
        ),
    ] {
        assert!(
            compact::<PaymentResponse>(pg, json, Readers::FlatFirst).is_none(),
            "{pg}: {json:?}"
        );
        same(std::str::from_utf8(json).unwrap(), Some(pg));
    }
}

/// The flat reader reads the thin PGs' bodies (the shape it exists for),
/// escapes included, and gives what serde_json gives; a body of any other
/// shape is left to serde_json.
#[test]
fn the_flat_reader_reads_thin_bodies_as_serde_json_does() {
    use portone_pg::__private::compact;
    let mut read = 0;
    for entry in support::manifest("callbacks") {
        let Some(pg) = entry.pg.as_deref() else {
            continue;
        };
        let json = support::read("callbacks", &entry.file);
        let Some(serde_json) = compact::<PaymentResponse>(pg, &json, Readers::SerdeJsonOnly) else {
            continue;
        };
        let flat = compact::<PaymentResponse>(pg, &json, Readers::FlatOnly);
        assert_eq!(flat.as_ref(), Some(&serde_json), "{}", entry.file);
        read += 1;
    }
    assert!(read >= 3, "{read} thin fixtures");
    let pg = "tosspay_v2";
    for (json, flat_reads) in [
        (
            r#"{"imp_uid":"imp_1","merchant_uid":"o","error_code":"F","error_msg":"\uacb0\uc81c \"\ucde8\uc18c\""}"#,
            true,
        ),
        (r#" { "merchant_uid" : "o" , "imp_uid" : null } "#, true),
        (r#"{"merchant_uid":"o","error_code":1}"#, false),
        (r#"{"merchant_uid":"o","x_unlisted":"kept raw"}"#, false),
        (r#"{"merchant_uid":"o","error_msg":"\ud800"}"#, false),
    ] {
        let flat = compact::<PaymentResponse>(pg, json.as_bytes(), Readers::FlatOnly);
        let serde_json = compact::<PaymentResponse>(pg, json.as_bytes(), Readers::SerdeJsonOnly);
        assert_eq!(flat.is_some(), flat_reads, "{json}");
        if flat.is_some() {
            assert_eq!(flat, serde_json, "{json}");
        }
        same(json, Some(pg));
    }
}

#[test]
fn one_pass_and_two_pass_agree_on_bad_input() {
    let cases = [
        r#"{"pg_provider":"kcp","merchant_uid":"o","pg_provider":"nice"}"#,
        r#"{"merchant_uid":"o","merchant_uid":"p","pg_provider":"kcp"}"#,
        r#"{"success":true,"imp_success":true,"pg_provider":"kcp","merchant_uid":"o"}"#,
        r#"{"paid_amount":"abc","pg_provider":"kcp","merchant_uid":"o"}"#,
        r#"{"pg_provider":"kcp","paid_amount":"abc","merchant_uid":"o"}"#,
        r#"{"pg_provider":1,"merchant_uid":"o"}"#,
        r#"{"pg_provider":"kcp"}"#,
        r#"{"pg_provider":"kcp","merchant_uid":"o"} x"#,
        r#"{"pg_provider":"kcp","merchant_uid":"o""#,
        r#"{"vbank_num":[],"pg_provider":"kakaopay","merchant_uid":"o"}"#,
        r#"{"pg_provider":"kakaopay","vbank_num":[],"merchant_uid":"o"}"#,
        r#"{"pg_provider":"tosspayments","merchant_uid":"o","imp_uid":"i"}"#,
        r#"{"pg_provider":"nice_V2","merchant_uid":"o"}"#,
        r#"{"pg_provider":"inicis_unified","merchant_uid":"o","imp_uid":"i"}"#,
        // A PG without a schema, and the tag's text where it is no tag.
        r#"{"merchant_uid":"o","pg_provider":"newpg","paid_amount":"abc"}"#,
        r#"{"custom_data":{"pg_provider":"newpg"},"pg_provider":"kcp","merchant_uid":"o"}"#,
        r#"{"name":"pg_provider","pg_provider":"newpg","merchant_uid":"o"}"#,
        r#"{"pg_provider":"newpg","merchant_uid":"o","pg_provider":"newpg"}"#,
        r#"{"pg_provider":"newpg","pg_type":"certification"}"#,
        r#"{"pg_provider" : "new\u0070g","merchant_uid":"o"}"#,
        "[]",
        "null",
        "",
        "\u{feff}{}",
    ];
    for json in cases {
        for hint in [
            None,
            Some("kcp"),
            Some("html5_inicis"),
            Some("nice_v2"),
            Some("newpg"),
        ] {
            same(json, hint);
        }
    }
    for bytes in [
        &b"{\"pg_provider\":\"kcp\",\"merchant_uid\":\"\xff\"}"[..],
        b"{\"merchant_uid\":\"o\"}\xc3",
    ] {
        let one = PaymentResponse::from_json(bytes).unwrap_err();
        let two = portone_pg::__private::two_pass::<PaymentResponse>(None, bytes).unwrap_err();
        assert_eq!(one.to_string(), two.to_string());
    }
}

/// A body's properties as a redirect query: every value its text (strings
/// as they are, anything else as JSON), keys and values percent-encoded.
fn as_query(body: &Map<String, Value>) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    char::from(b).to_string()
                }
                b' ' => "+".to_owned(),
                other => format!("%{other:02X}"),
            })
            .collect()
    };
    body.iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            format!("{}={}", encode(key), encode(&text))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The redirect's fast path (typing the decoded pairs) against its JSON
/// form typed by the body's dispatch: the same variant and value, or the
/// same error.
fn same_query(query: &str, pg: Option<&str>) {
    let fast = match pg {
        Some(pg) => PaymentResponse::from_query_with_pg(pg, query),
        None => PaymentResponse::from_query(query),
    };
    let json = portone_pg::__private::query_as_json::<PaymentResponse>(pg, query);
    assert_agree(&fast, &json, &format!("pg {pg:?}: {query}"));
}

#[test]
fn redirects_typed_from_their_pairs_agree_with_their_json_form() {
    let hints = [
        None,
        Some("kcp"),
        Some("tosspayments"),
        Some("html5_inicis"),
        Some("newpg"),
    ];
    let mut queries: Vec<(String, Option<String>)> = support::manifest("redirects")
        .into_iter()
        .map(|entry| (support::read_text("redirects", &entry.file), entry.pg))
        .collect();
    for (body, pg) in fixtures() {
        for json in variants(&body) {
            let object: Map<String, Value> = serde_json::from_str(&json).unwrap();
            queries.push((as_query(&object), pg.clone()));
        }
    }
    queries.extend(
        [
            "imp_uid=imp_1&merchant_uid=o&imp_success=true",
            "imp_uid=imp_1&merchant_uid=o&imp_success=maybe",
            "imp_uid=imp_1&merchant_uid=o&success=true&imp_success=false",
            "imp_uid=imp_1&merchant_uid=o&paid_amount=1%2C004",
            "imp_uid=imp_1&merchant_uid=o&pg_provider=nice&imp_success=true",
            "imp_uid=imp_1&pg_provider=kcp",
            "merchant_uid=o&merchant_uid=o&pg_provider=kcp&x_unlisted=%EA%B0%80",
            "merchant_uid=o&pg_provider=null&error_msg=a%0Ab%22",
            "merchant_uid=o&vbank_num=123&pg_provider=kakaopay",
            "merchant_uid=o&pg_provider=certification",
            "",
        ]
        .map(|query| (query.to_owned(), None)),
    );
    let mut checked = 0;
    for (query, pg) in &queries {
        for hint in std::iter::once(pg.as_deref()).chain(hints) {
            same_query(query, hint);
            checked += 1;
        }
    }
    assert!(checked > 1500, "{checked}");
}
