//! The command line's modes, channels, exit statuses and bad input,
//! through `inspect::run` as `main` calls it.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(path: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

/// A file of `text` in a directory of this test's own.
fn file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("inspect-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = args.iter().map(|s| (*s).to_owned()).collect();
    let status = inspect::run(args, &mut out, &mut err, false);
    (
        status,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn json(args: &[&str]) -> (u8, Value) {
    let mut args = args.to_vec();
    args.push("--json");
    let (status, out, err) = run(&args);
    let document = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (status, document)
}

#[test]
fn the_bundled_callbacks_all_parse() {
    let (status, document) = json(&[]);
    assert_eq!(status, 0);
    let reports = document.as_array().unwrap();
    assert!(reports.len() > 50);
    assert!(
        reports
            .iter()
            .all(|r| r["channel"] == "callback" && r.get("error").is_none())
    );
}

#[test]
fn each_channel_is_read_from_what_it_looks_like() {
    let redirect = "https://shop.example/done?imp_uid=imp_1&merchant_uid=order-1&imp_success=true";
    let (status, document) = json(&[redirect, "--pg", "kcp.T0000"]);
    assert_eq!(status, 0);
    assert_eq!(
        (
            &document[0]["channel"],
            &document[0]["pg"],
            &document[0]["outcome"]
        ),
        (&"redirect".into(), &"kcp".into(), &"success".into())
    );

    let form = fixture("webhooks/docs_paid.form");
    let webhook = fixture("webhooks/docs_paid.json");
    let (status, document) = json(&[&form, &webhook]);
    assert_eq!(status, 0);
    for report in document.as_array().unwrap() {
        assert_eq!(
            (&report["channel"], &report["outcome"]),
            (&"webhook".into(), &"paid".into())
        );
    }

    let rest = fixture("rest/nice_point_cancelled_2022.json");
    let (status, document) = json(&[&rest]);
    assert_eq!(status, 0);
    assert_eq!(document[0]["channel"], "rest");
    assert_eq!(document[0]["outcome"], "cancelled");
    // The REST object's personal data is redacted, never printed.
    let buyer = document[0]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "buyer_name")
        .unwrap();
    assert_eq!(buyer["redacted"], true);
    assert!(buyer.get("value").is_none());

    // A bare object, forced to be read as REST, and what verify() says.
    let paid = file(
        "paid.json",
        r#"{"imp_uid":"imp_1","merchant_uid":"order-1","amount":1004,"currency":"KRW","status":"paid","pay_method":"card","pg_provider":"kcp","paid_at":1654780104}"#,
    );
    let (_, out, _) = run(&[&paid, "--expect", "order-1:1004"]);
    assert!(
        out.contains("verify() accepts it for order-1:1004: Paid"),
        "{out}"
    );
    let (_, out, _) = run(&[&paid, "--expect", "order-1:100000"]);
    assert!(
        out.contains("verify() refuses it") && out.contains("amount"),
        "{out}"
    );
}

#[test]
fn bad_input_is_named_with_exit_status_2() {
    let empty = file("empty.json", "");
    let text = file("text.json", "hello");
    let broken = file("broken.json", "{\"imp_uid\": ");
    let foreign = file("foreign.json", r#"{"id":1,"name":"x"}"#);
    for (args, says) in [
        (vec![empty.as_str()], "empty"),
        (vec![text.as_str()], "neither JSON nor a query"),
        (vec![broken.as_str()], "not JSON"),
        (vec![foreign.as_str()], "none of PortOne's keys"),
        (vec!["a=1&b=2"], "a query with none of PortOne's keys"),
        (vec!["/no/such/file.json"], "no such file"),
        (vec!["--draft-schema"], "captured responses"),
        (
            vec!["--check-schema", "schemas/pg/kcp.toml"],
            "captured responses",
        ),
        (vec!["--frobnicate"], "unknown option"),
    ] {
        let (status, out, err) = run(&args);
        assert_eq!(status, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
        if let Some(path) = args.first().filter(|a| a.starts_with('/')) {
            assert!(err.contains(path), "{args:?}: the file is not named: {err}");
        }
    }
    // --json: the error is a JSON document too.
    let (status, document) = json(&[&empty]);
    assert_eq!(status, 2);
    assert!(document["error"].as_str().unwrap().contains("empty"));
}

#[test]
fn a_draft_refuses_two_pgs_and_wrong_types_naming_the_sample() {
    let kcp = fixture("callbacks/kcp_card_paid.json");
    // The body names kcp; the request's pg says otherwise.
    let (status, _, err) = run(&["--draft-schema", &kcp, "--pg", "tosspayments"]);
    assert_eq!(status, 2, "{err}");
    assert!(
        err.contains("kcp_card_paid.json") && err.contains("--pg says"),
        "{err}"
    );
    let (status, _, err) = run(&[
        "--draft-schema",
        &kcp,
        &fixture("callbacks/kcp_billing_card_paid.json"),
    ]);
    assert_eq!(status, 2);
    assert!(
        err.contains("kcp_billing_card_paid.json") && err.contains("one PG at a time"),
        "{err}"
    );

    let wrong = file(
        "wrong.json",
        r#"{"success":true,"imp_uid":"imp_1","merchant_uid":"m","pg_provider":"kcp","paid_amount":"12,000"}"#,
    );
    let (status, _, err) = run(&["--draft-schema", &wrong]);
    assert_eq!(status, 2);
    assert!(
        err.contains("wrong.json") && err.contains("`paid_amount` is not a valid amount"),
        "{err}"
    );
    assert!(!err.contains("12,000"), "the value is printed: {err}");

    let nameless = file("nameless.json", r#"{"imp_uid":"imp_1","merchant_uid":"m"}"#);
    let (status, _, err) = run(&["--draft-schema", &nameless]);
    assert_eq!(status, 2);
    assert!(err.contains("--pg"), "{err}");
}

#[test]
fn a_draft_lists_unknown_keys_by_type_and_never_a_value() {
    let body = file(
        "secret.json",
        r#"{"success":true,"imp_uid":"imp_1","merchant_uid":"m","pg_provider":"kcp","buyer_tel":"010-1234-5678","memberPhone":"010-9999-8888","points":12}"#,
    );
    let (status, toml, err) = run(&["--draft-schema", &body]);
    assert_eq!(status, 0, "{err}");
    assert!(
        toml.contains("#   memberPhone: string") && toml.contains("#   points: number"),
        "{toml}"
    );
    for secret in ["010-1234-5678", "010-9999-8888"] {
        assert!(!toml.contains(secret), "{secret} in {toml}");
    }
    let (_, document) = json(&["--draft-schema", &body]);
    assert_eq!(document["pg"], "kcp");
    assert_eq!(document["unknown_keys"][0]["key"], "memberPhone");
    assert!(!document.to_string().contains("010-9999-8888"));
}

#[test]
fn a_check_lists_disagreements_with_exit_status_1() {
    let kcp = fixture("callbacks/kcp_card_paid.json");
    let schema = root()
        .join("schemas/pg/kcp.toml")
        .to_string_lossy()
        .into_owned();
    let (status, out, err) = run(&["--check-schema", &schema, &kcp]);
    assert_eq!(
        (status, out.ends_with("no disagreements\n")),
        (0, true),
        "{out}{err}"
    );

    let thin = root()
        .join("schemas/pg/tosspayments.toml")
        .to_string_lossy()
        .into_owned();
    let odd = file(
        "odd.json",
        r#"{"merchant_uid":"m","success":true,"paid_amount":1000,"memberPhone":"010-9999-8888"}"#,
    );
    let (status, document) = json(&["--check-schema", &thin, &odd, "--pg", "tosspayments"]);
    assert_eq!(status, 1);
    let kinds: Vec<&str> = document["samples"][0]["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["unlisted", "unknown", "missing_on_success"],
        "{document:#}"
    );
    assert!(!document.to_string().contains("010-9999-8888"));

    // A sample of another PG, and a schema file with a mistake: bad input.
    let (status, _, err) = run(&["--check-schema", &thin, &kcp]);
    assert_eq!(status, 2);
    assert!(err.contains("kcp_card_paid.json"), "{err}");
    let broken = file("broken.toml", "code = \"newpg\"\nname = 1\n");
    let (status, _, err) = run(&["--check-schema", &broken, &kcp]);
    assert_eq!(status, 2);
    assert!(err.contains("broken.toml:2:"), "{err}");
}
