//! `schemas/README.md`'s walk-through "Adding a PG", step by step, on the
//! captured responses in `examples/own-schemas/captured/`: draft, write,
//! load as `extend_schemas!` loads it, compare with the reviewed file the
//! own-schemas example compiles, parse the samples with the compiled type,
//! check.

use std::path::{Path, PathBuf};

use own_schemas::PaymentResponse;
use portone_pg_schema::model::{Named, Pg};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SAMPLES: &[&str] = &[
    "examples/own-schemas/captured/paid_pc_callback.json",
    "examples/own-schemas/captured/paid_mobile_redirect.url",
    "examples/own-schemas/captured/failed_pc_callback.json",
];

fn samples() -> Vec<String> {
    SAMPLES
        .iter()
        .map(|s| root().join(s).to_string_lossy().into_owned())
        .collect()
}

/// `cargo run --example inspect -- ARGS`: status, stdout, stderr.
fn inspect(args: &[String]) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = inspect::run(args.to_vec(), &mut out, &mut err, false);
    (
        status,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// What a PG file says that the generated type depends on.
fn meaning(
    pg: &Pg,
) -> (
    String,
    &'static str,
    Option<String>,
    Vec<(usize, &'static str)>,
) {
    (
        pg.code.clone(),
        pg.success.name(),
        pg.shape.as_ref().map(|(name, _)| name.clone()),
        pg.fields.iter().map(|(i, p)| (*i, p.name())).collect(),
    )
}

fn load(dir: &Path) -> Pg {
    let builtin = root().join("schemas");
    match portone_pg_schema::load_extension(&builtin, dir, &dir.to_string_lossy()) {
        Ok(schema) => schema.pgs.into_iter().next().expect("one PG"),
        Err(invalid) => panic!(
            "{}",
            invalid
                .diagnostics
                .into_iter()
                .map(|d| d.text)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn adding_a_pg_step_by_step() {
    // 2. Draft.
    let mut args = vec!["--draft-schema".to_owned()];
    args.extend(samples());
    args.extend(["--pg".to_owned(), "inicis_jp".to_owned()]);
    let (status, drafted, err) = inspect(&args);
    assert_eq!(status, 0, "{err}");
    assert!(drafted.contains("code = \"inicis_jp\""), "{drafted}");

    // 3. Write it into a schema folder of one's own.
    let dir = std::env::temp_dir().join(format!("inspect-walkthrough-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pg")).unwrap();
    std::fs::write(dir.join("pg/inicis_jp.toml"), &drafted).unwrap();

    // 4. It loads as `extend_schemas!` loads it: the same loader and
    //    validator, so it compiles.
    let draft = load(&dir);
    std::fs::remove_dir_all(&dir).unwrap();

    // 5. Review: the reviewed file, which the own-schemas example compiles
    //    with `extend_schemas!`, adds name, doc, sources and notes, and
    //    means what the draft means.
    let reviewed = load(&root().join("examples/own-schemas/schemas"));
    assert_eq!(meaning(&draft), meaning(&reviewed));

    // 6. The compiled type parses each sample to the values it carries.
    for file in samples() {
        let text = std::fs::read_to_string(&file).unwrap();
        let (response, sent) = match text.trim().split_once('?') {
            Some((_, query)) => (
                PaymentResponse::from_query_with_pg("inicis_jp", query).unwrap(),
                portone_pg::query::params(query)
                    .unwrap()
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            ),
            None => (
                PaymentResponse::from_json_with_pg("inicis_jp", text.as_bytes()).unwrap(),
                serde_json::from_str::<serde_json::Map<String, Value>>(&text).unwrap(),
            ),
        };
        assert!(matches!(response, PaymentResponse::InicisJp(_)), "{file}");
        let Value::Object(written) = serde_json::to_value(&response).unwrap() else {
            panic!("{file}: not an object");
        };
        // A redirect's `imp_success` is the catalogue's `success`.
        let sent: serde_json::Map<String, Value> = sent
            .into_iter()
            .map(|(k, v)| match k.as_str() {
                "imp_success" => ("success".to_owned(), v),
                _ => (k, v),
            })
            .collect();
        assert_eq!(written, sent, "{file}");
    }

    // 7. Check: the samples agree with the reviewed file.
    let mut args = vec![
        "--check-schema".to_owned(),
        root()
            .join("examples/own-schemas/schemas/pg/inicis_jp.toml")
            .to_string_lossy()
            .into_owned(),
    ];
    args.extend(samples());
    args.extend(["--pg".to_owned(), "inicis_jp".to_owned()]);
    let (status, out, err) = inspect(&args);
    assert_eq!(status, 0, "{out}{err}");
    assert!(out.ends_with("no disagreements\n"), "{out}");
}
