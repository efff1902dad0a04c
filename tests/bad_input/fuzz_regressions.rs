//! The fuzz targets' checks (fuzz/checks.rs) on every input the fuzzer once
//! found failing (tests/fuzz_regressions/<target>/), and on the fixtures.

use crate::checks;

use std::fs;
use std::path::Path;

fn run(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its check again", path.display());
        count += 1;
    }
    count
}

#[test]
fn inputs_the_fuzzer_found_pass_their_checks() {
    let found = [
        run("payment_from_json", checks::payment_from_json),
        run(
            "payment_from_json_with_pg",
            checks::payment_from_json_with_pg,
        ),
        run("redirect_from_query", checks::redirect_from_query),
        run("webhook_from_body", checks::webhook_from_body),
        run("rest_payment", checks::rest_payment),
        #[cfg(feature = "client")]
        run("client_reply", checks::client_reply),
    ];
    assert!(found.iter().sum::<usize>() >= 1, "{found:?}");
}

#[test]
fn fixtures_pass_the_fuzz_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = |kind: &str| -> Vec<Vec<u8>> {
        let mut files: Vec<_> = fs::read_dir(root.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n != "manifest.json" && n != "README.md")
            })
            .collect();
        files.sort();
        files.iter().map(|p| fs::read(p).unwrap()).collect()
    };
    for body in files("callbacks").iter().chain(&files("certification")) {
        checks::payment_from_json(body);
        for pick in 0..15u8 {
            checks::payment_from_json_with_pg(&[&[pick], body.as_slice()].concat());
        }
    }
    for query in files("redirects") {
        checks::redirect_from_query(&query);
    }
    for body in files("webhooks") {
        for pick in 0..4u8 {
            checks::webhook_from_body(&[&[pick], body.as_slice()].concat());
        }
    }
    for body in files("rest") {
        checks::rest_payment(&body);
    }
    #[cfg(feature = "client")]
    for body in files("rest").iter().chain(&echoes()) {
        // 200, 401, 502 (see checks.rs).
        for status in [[0, 100], [1, 45], [1, 146]] {
            checks::client_reply(&[&status, body.as_slice()].concat());
        }
    }
}

/// Replies that echo the fuzzed client's key and secret in each place an
/// error can show them.
#[cfg(feature = "client")]
fn echoes() -> Vec<Vec<u8>> {
    let [key, secret] = portone_pg::client::__fuzz::SECRETS;
    [
        format!(r#"{{"code":-1,"message":"bad key {key} / {secret}","response":null}}"#),
        format!("<html>imp_key={key}&imp_secret={secret}</html>"),
        format!(r#"{{"code":0,"message":null,"response":{{"imp_uid":"{key}","merchant_uid":"{secret}","amount":"{secret}","status":"paid"}}}}"#),
        format!(r#"{{"code":0,"message":null,"response":{{"access_token":"{secret}","expired_at":"{key}","now":0}}}}"#),
        format!(r#"{{"code":0,"message":null,"response":{{"access_token":"{secret}","expired_at":-1,"now":0}}}}"#),
    ]
    .map(String::into_bytes)
    .into()
}
