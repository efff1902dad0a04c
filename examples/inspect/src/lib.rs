//! The `inspect` example's work, as a library its tests call: what
//! portone-pg makes of payment results, and a PG's schema file drafted or
//! checked from captured responses.
//!
//! ```text
//! cargo run --example inspect                          # the bundled real-world callbacks
//! cargo run --example inspect -- response.json         # a callback, webhook or REST object
//! cargo run --example inspect -- 'https://shop.example/done?imp_uid=…&merchant_uid=…&imp_success=true'
//! cargo run --example inspect -- - --pg tosspayments   # from stdin, with the request's `pg`
//! cargo run --example inspect -- payment.json --expect order-1:1004   # what verify() says
//! cargo run --example inspect -- --draft-schema a.json b.json         # a schema file, drafted
//! cargo run --example inspect -- --check-schema schemas/pg/kcp.toml a.json b.json
//! cargo run --example inspect -- --json …              # any mode: one JSON document
//! ```
//!
//! Personal data is never printed: its value shows as `<redacted>`, and a
//! key the schema does not list shows only the JSON type of its value.
//!
//! Exit status: 0 done (for `--check-schema`: no disagreement), 1 some
//! disagreement, 2 bad input (an unreadable, empty or non-JSON file, a
//! query with no PortOne keys, samples of two PGs, an invalid schema file),
//! each named in the message.

pub mod check;
pub mod draft;
pub mod input;
pub mod report;
pub mod sample;
pub mod text;

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use input::{Channel, Input};
use report::{Expect, Inspected, Shown};
use sample::{Catalogue, Sample};

enum Mode {
    Inspect,
    Draft,
    Check(String),
}

struct Options {
    mode: Mode,
    inputs: Vec<String>,
    pg: Option<String>,
    channel: Option<Channel>,
    expect: Option<String>,
    json: bool,
}

/// Bad input: the message, exit status 2.
struct Bad(String);

/// Exit statuses.
pub const DONE: u8 = 0;
/// `--check-schema` found disagreements (or a draft failed to load).
pub const DISAGREES: u8 = 1;
/// Bad input, named in the message.
pub const BAD_INPUT: u8 = 2;

/// Runs the command line `args` (without the program's name), writing the
/// report to `out` and problems to `err`; returns the exit status.
/// `colour`: ANSI styling, for a terminal.
pub fn run(args: Vec<String>, out: &mut dyn Write, err: &mut dyn Write, colour: bool) -> u8 {
    let options = match parse_args(args.into_iter()) {
        Ok(options) => options,
        Err(problem) => return usage(&problem, err),
    };
    let style = text::Style {
        colour: colour && !options.json,
    };
    let result = match &options.mode {
        Mode::Inspect => run_inspect(&options, style, out),
        Mode::Draft => run_draft(&options, out, err),
        Mode::Check(schema) => run_check(schema, &options, style, out),
    };
    match result {
        Ok(code) => code,
        Err(Bad(message)) => {
            if options.json {
                let _ = writeln!(out, "{:#}", json!({ "error": message }));
            }
            let _ = writeln!(err, "error: {message}");
            BAD_INPUT
        }
    }
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        mode: Mode::Inspect,
        inputs: Vec::new(),
        pg: None,
        channel: None,
        expect: None,
        json: false,
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().ok_or(format!("{arg} needs {what}"));
        match arg.as_str() {
            "--pg" => options.pg = Some(value("a code, e.g. --pg tosspayments")?),
            "--channel" => {
                let name = value("callback, redirect, webhook or rest")?;
                options.channel = Some(Channel::from_name(&name).ok_or(format!(
                    "--channel {name}: expected callback, redirect, webhook or rest"
                ))?);
            }
            "--expect" => options.expect = Some(value("MERCHANT_UID:AMOUNT")?),
            "--draft-schema" => options.mode = Mode::Draft,
            "--check-schema" => options.mode = Mode::Check(value("a schema file")?),
            "--json" => options.json = true,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => options.inputs.push(arg),
        }
    }
    match options.mode {
        Mode::Draft | Mode::Check(_) if options.inputs.is_empty() => {
            Err("give the captured responses to read: FILE…".into())
        }
        Mode::Draft | Mode::Check(_) if options.expect.is_some() => {
            Err("--expect goes with a REST object, not with a schema".into())
        }
        _ if options.pg.is_some() && options.inputs.is_empty() => {
            Err("--pg goes with a FILE (or - for stdin)".into())
        }
        _ => Ok(options),
    }
}

fn usage(problem: &str, err: &mut dyn Write) -> u8 {
    if !problem.is_empty() {
        let _ = writeln!(err, "error: {problem}\n");
    }
    let _ = writeln!(
        err,
        "usage: inspect [INPUT…] [--pg CODE] [--channel NAME] [--expect MERCHANT_UID:AMOUNT] [--json]\n\
         \x20      inspect --draft-schema FILE… [--pg CODE] [--json]\n\
         \x20      inspect --check-schema SCHEMA FILE… [--pg CODE] [--json]\n\n\
         INPUT is a file (a callback, a webhook as JSON or a form, a REST payment\n\
         object or its envelope), - for stdin, or a redirect URL or query. Without\n\
         INPUT, inspects the bundled callbacks (tests/fixtures/callbacks).\n\
         --pg CODE         the request's `pg` parameter (thin PGs' bodies name none)\n\
         --channel NAME    callback, redirect, webhook or rest, instead of detecting it\n\
         --expect M:A      for a REST object: what verify() says for order M of amount A\n\
         --draft-schema    print a schema file (TOML) for the PG the files come from\n\
         --check-schema S  list where the files disagree with schema file S\n\
         --json            one JSON document instead of text\n\n\
         Exit status: 0 done, 1 disagreements (--check-schema), 2 bad input."
    );
    match problem.is_empty() {
        true => DONE,
        false => BAD_INPUT,
    }
}

/// Reads every input named, or the bundled callbacks.
fn inputs(options: &Options) -> Result<Vec<(Input, Option<String>)>, Bad> {
    if options.inputs.is_empty() {
        return bundled().map_err(Bad);
    }
    if options.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(Bad("stdin (-) can be read once".into()));
    }
    options
        .inputs
        .iter()
        .map(|arg| {
            Ok((
                input::read(arg, options.channel).map_err(Bad)?,
                options.pg.clone(),
            ))
        })
        .collect()
}

/// Every callback in the fixture manifest, with its request's `pg`.
fn bundled() -> Result<Vec<(Input, Option<String>)>, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/callbacks");
    let manifest: Vec<Value> = std::fs::read(dir.join("manifest.json"))
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
        .map_err(|e| format!("cannot read the bundled fixtures: {e}"))?;
    manifest
        .iter()
        .map(|entry| {
            let file = entry["file"].as_str().unwrap_or_default().to_owned();
            let body = std::fs::read(dir.join(&file)).map_err(|e| format!("{file}: {e}"))?;
            let input = input::classify(file, &body, Some(Channel::Callback))?;
            Ok((input, entry["pg"].as_str().map(str::to_owned)))
        })
        .collect()
}

fn run_inspect(options: &Options, style: text::Style, out: &mut dyn Write) -> Result<u8, Bad> {
    let expect = options
        .expect
        .as_deref()
        .map(Expect::parse)
        .transpose()
        .map_err(Bad)?;
    let inputs = inputs(options)?;
    let reports: Vec<(String, Result<Inspected, String>)> = inputs
        .iter()
        .map(|(input, pg)| {
            (
                input.name.clone(),
                report::inspect(input, pg.as_deref(), expect.as_ref()),
            )
        })
        .collect();
    let written = if options.json {
        writeln!(out, "{:#}", inspected_json(&reports))
    } else {
        text::reports(out, &reports, style)
    };
    if let Err(e) = written {
        return Err(Bad(format!("cannot write the report: {e}")));
    }
    // A response the library refuses is bad input too, named above.
    match reports.iter().all(|(_, r)| r.is_ok()) {
        true => Ok(DONE),
        false => Ok(BAD_INPUT),
    }
}

/// The inputs as samples for a schema, against the catalogue.
fn samples(options: &Options) -> Result<(Catalogue, Vec<Sample>), Bad> {
    let catalogue = Catalogue::load().map_err(Bad)?;
    let samples = inputs(options)?
        .iter()
        .map(|(input, pg)| Sample::read(input, &catalogue, pg.as_deref()).map_err(Bad))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((catalogue, samples))
}

fn run_draft(options: &Options, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Bad> {
    let (catalogue, samples) = samples(options)?;
    let drafted = draft::draft(&samples, &catalogue).map_err(Bad)?;
    // The draft must be a file the macro accepts: read it back the same way.
    let dir = std::env::temp_dir().join(format!("portone-pg-draft-{}", std::process::id()));
    let path = dir.join(format!("{}.toml", drafted.code));
    let valid = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, &drafted.toml))
        .map_err(|e| e.to_string())
        .and_then(|()| check::load(&path.to_string_lossy(), &catalogue));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = valid {
        let _ = writeln!(
            err,
            "error: the draft does not load as a schema file (a bug in inspect):\n{e}"
        );
        return Ok(DISAGREES);
    }
    if options.json {
        let document = json!({
            "pg": drafted.code,
            "file": format!("{}.toml", drafted.code),
            "schema": drafted.toml,
            "samples": samples.iter().map(|s| json!({
                "file": s.name,
                "channel": s.channel.name(),
                "claim": s.claim.word(),
            })).collect::<Vec<_>>(),
            "unknown_keys": drafted.unknown.iter().map(|(k, ty)| json!({ "key": k, "json_type": ty })).collect::<Vec<_>>(),
        });
        writeln!(out, "{document:#}")
    } else {
        write!(out, "{}", drafted.toml)
    }
    .map_err(|e| Bad(format!("cannot write the draft: {e}")))?;
    Ok(DONE)
}

fn run_check(
    schema: &str,
    options: &Options,
    style: text::Style,
    out: &mut dyn Write,
) -> Result<u8, Bad> {
    let (catalogue, samples) = samples(options)?;
    let pg = check::load(schema, &catalogue).map_err(Bad)?;
    let checked = check::check(&pg, &samples, &catalogue).map_err(Bad)?;
    let written = if options.json {
        let document = json!({
            "schema": schema,
            "pg": checked.code,
            "disagreements": checked.count(),
            "samples": checked.samples.iter().map(|(file, claim, found)| json!({
                "file": file,
                "claim": claim.word(),
                "disagreements": found.iter().map(|d| json!({
                    "kind": d.kind,
                    "key": d.key,
                    "detail": d.detail,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        writeln!(out, "{document:#}")
    } else {
        text::checked(out, schema, &checked, style)
    };
    if let Err(e) = written {
        return Err(Bad(format!("cannot write the report: {e}")));
    }
    Ok(match checked.count() {
        0 => DONE,
        _ => DISAGREES,
    })
}

fn inspected_json(reports: &[(String, Result<Inspected, String>)]) -> Value {
    Value::Array(
        reports
            .iter()
            .map(|(file, result)| match result {
                Err(e) => json!({ "file": file, "error": e }),
                Ok(inspected) => json!({
                    "file": file,
                    "channel": inspected.channel.name(),
                    "pg": inspected.code,
                    "pg_name": inspected.pg,
                    "found_by": inspected.found_by,
                    "outcome": inspected.outcome,
                    "claim": inspected.claim,
                    "properties": inspected.rows.iter().map(|row| {
                        let (what, value) = match &row.value {
                            Shown::Value(value) => ("value", value.clone()),
                            Shown::Redacted => ("redacted", Value::Bool(true)),
                            Shown::Type(ty) => ("json_type", Value::from(*ty)),
                        };
                        json!({ "key": row.key, what: value, "presence": row.note })
                    }).collect::<Vec<_>>(),
                    "unknown_keys": inspected.unknown_keys,
                    "next": inspected.next,
                }),
            })
            .collect(),
    )
}
