//! Shows what portone-pg makes of payment responses: per response, a table
//! of its properties next to what the PG's schema promises, then the PG and
//! how it was found, the claimed outcome and what to do next; at the end, a
//! summary of every input.
//!
//! ```text
//! cargo run --example inspect                         # the bundled real-world fixtures
//! cargo run --example inspect -- response.json        # a captured callback body
//! cargo run --example inspect -- - --pg tosspayments  # from stdin, with the request's `pg`
//! cargo run --example inspect -- --json               # the same, machine-readable
//! ```
//!
//! Personal data is never printed: its value shows as `<redacted>`, and a
//! key the schema does not list shows only the JSON type of its value.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use portone_pg::{Outcome, PaymentResponse, Presence};
use serde_json::{Value, json};

/// What one input made.
struct Report {
    file: String,
    result: Result<Inspected, String>,
}

struct Inspected {
    /// The PG's name and code.
    pg: Option<String>,
    code: Option<String>,
    found_by: &'static str,
    outcome: Outcome,
    rows: Vec<Row>,
    unknown_keys: Vec<String>,
    next: String,
}

/// One property: key, value as it may be shown, presence for this PG.
struct Row {
    key: String,
    value: Shown,
    presence: Option<Presence>,
}

/// What of a value is shown.
enum Shown {
    /// The value itself.
    Value(Value),
    /// Personal data: nothing.
    Redacted,
    /// A key the schema does not list (possibly personal): its JSON type.
    Type(&'static str),
}

impl Shown {
    fn text(&self) -> String {
        match self {
            Shown::Value(value) => shown(value),
            Shown::Redacted => "<redacted>".into(),
            Shown::Type(ty) => format!("<{ty}>"),
        }
    }

    fn json(&self) -> (&'static str, Value) {
        match self {
            Shown::Value(value) => ("value", value.clone()),
            Shown::Redacted => ("redacted", Value::Bool(true)),
            Shown::Type(ty) => ("json_type", Value::from(*ty)),
        }
    }
}

struct Options {
    file: Option<String>,
    pg: Option<String>,
    json: bool,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(problem) => return usage(&problem),
    };
    let inputs = match &options.file {
        None => match bundled() {
            Ok(inputs) => inputs,
            Err(e) => {
                eprintln!("cannot read the bundled fixtures: {e}");
                return ExitCode::FAILURE;
            }
        },
        Some(path) => {
            let mut body = Vec::new();
            let read = if path == "-" {
                std::io::stdin().read_to_end(&mut body).map(drop)
            } else {
                std::fs::read(path).map(|bytes| body = bytes)
            };
            if let Err(e) = read {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
            vec![(path.clone(), body, options.pg.clone())]
        }
    };
    let reports: Vec<Report> = inputs
        .iter()
        .map(|(file, body, pg)| Report {
            file: file.clone(),
            result: inspect(body, pg.as_deref()),
        })
        .collect();
    let stdout = std::io::stdout();
    let colour = !options.json && stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    let written = if options.json {
        writeln!(out, "{:#}", to_json(&reports))
    } else {
        write_text(&mut out, &reports, Style { colour })
    };
    match (written, reports.iter().all(|r| r.result.is_ok())) {
        (Ok(()), true) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        file: None,
        pg: None,
        json: false,
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--pg" => {
                options.pg = Some(
                    args.next()
                        .ok_or("--pg needs a code, e.g. --pg tosspayments")?,
                )
            }
            "--json" => options.json = true,
            "-h" | "--help" => return Err(String::new()),
            _ if options.file.is_none() => options.file = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    if options.pg.is_some() && options.file.is_none() {
        return Err("--pg goes with a FILE (or - for stdin)".into());
    }
    Ok(options)
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}\n");
    }
    eprintln!(
        "usage: inspect [FILE|-] [--pg CODE] [--json]\n\n\
         Without FILE, inspects the bundled callbacks (tests/fixtures/callbacks).\n\
         --pg CODE   the request's `pg` parameter (needed for thin PGs' bodies)\n\
         --json      one JSON document instead of tables"
    );
    if problem.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// One input: its name, its body, and the request's `pg` if known.
type Input = (String, Vec<u8>, Option<String>);

/// Every callback in the fixture manifest.
fn bundled() -> Result<Vec<Input>, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/callbacks");
    let manifest: Vec<Value> = std::fs::read(dir.join("manifest.json"))
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))?;
    manifest
        .iter()
        .map(|entry| {
            let file = entry["file"].as_str().unwrap_or_default().to_owned();
            let body = std::fs::read(dir.join(&file)).map_err(|e| format!("{file}: {e}"))?;
            Ok((file, body, entry["pg"].as_str().map(str::to_owned)))
        })
        .collect()
}

/// Parses one body and lays it out next to its PG's schema.
fn inspect(body: &[u8], pg: Option<&str>) -> Result<Inspected, String> {
    let response = match pg {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, body),
        None => PaymentResponse::from_json(body),
    }
    .map_err(|e| format!("{e} ({:?})", e.kind()))?;
    let body_names_pg = serde_json::from_slice::<Value>(body)
        .is_ok_and(|v| v.get("pg_provider").is_some_and(Value::is_string));
    let found_by = match (response.provider(), body_names_pg) {
        (None, _) => "not named: no pg_provider in the body and no --pg",
        (Some(_), true) => "the body's pg_provider",
        (Some(_), false) => "the request's pg (--pg)",
    };
    let schema = response.schema();
    // Serializing gives the received values back; the schema says which
    // are personal data.
    let written = serde_json::to_value(&response).map_err(|e| e.to_string())?;
    let object = written.as_object().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    let mut unknown_keys = Vec::new();
    for field in schema {
        if let Some(value) = object.get(field.name) {
            rows.push(Row {
                key: field.name.to_owned(),
                value: if field.personal {
                    Shown::Redacted
                } else {
                    Shown::Value(value.clone())
                },
                presence: Some(field.presence),
            });
        }
    }
    for (key, value) in &object {
        if schema.iter().all(|field| field.name != key) {
            rows.push(Row {
                key: key.clone(),
                // Not in the schema: it may be personal, so only its type.
                value: Shown::Type(json_type(value)),
                presence: None,
            });
            unknown_keys.push(key.clone());
        }
    }
    let outcome = response.outcome();
    let next = match (&outcome, response.imp_uid()) {
        (Outcome::Success, Some(imp_uid)) => format!(
            "a claim, not proof: GET /payments/{imp_uid}, then verify() it against the stored order"
        ),
        (Outcome::Success, None) => {
            "a claim without imp_uid: look the payment up by merchant_uid before trusting it".into()
        }
        (_, Some(imp_uid)) => {
            format!("not a success claim: GET /payments/{imp_uid} says what really happened")
        }
        (_, None) => "no payment was created (no imp_uid): nothing to verify".into(),
    };
    Ok(Inspected {
        pg: response.provider().map(|p| match p.name() {
            Some(name) => format!("{name} ({p})"),
            None => format!("{p} (no schema here)"),
        }),
        code: response.provider().map(|p| p.to_string()),
        found_by,
        outcome,
        rows,
        unknown_keys,
        next,
    })
}

/// A value as compact JSON, long ones shortened.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let short: String = text.chars().take(57).collect();
    format!("{short}…")
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn outcome_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "success",
        Outcome::Failure { .. } => "failure",
        Outcome::Unknown => "unknown",
    }
}

/// ANSI styling, only when writing to a terminal.
#[derive(Clone, Copy)]
struct Style {
    colour: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    fn outcome(self, outcome: &Outcome) -> String {
        let code = match outcome {
            Outcome::Success => "32",
            Outcome::Failure { .. } => "31",
            Outcome::Unknown => "33",
        };
        self.paint(code, &outcome.to_string())
    }
}

/// Terminal columns of `text` (Hangul and other wide characters take two).
fn columns(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Pads `text` to `width` columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

fn is_wide(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FF60}')
}

fn write_text(out: &mut impl Write, reports: &[Report], style: Style) -> std::io::Result<()> {
    for report in reports {
        writeln!(out, "{}", style.bold(&report.file))?;
        let inspected = match &report.result {
            Ok(inspected) => inspected,
            Err(e) => {
                writeln!(out, "  error: {e}\n")?;
                continue;
            }
        };
        let key_width = inspected
            .rows
            .iter()
            .map(|r| r.key.len())
            .max()
            .unwrap_or(0)
            .max(8);
        let value_width = inspected
            .rows
            .iter()
            .map(|r| columns(&r.value.text()))
            .max()
            .unwrap_or(0)
            .clamp(5, 61);
        writeln!(
            out,
            "  {}",
            style.dim(&format!(
                "{} {} presence",
                pad("property", key_width),
                pad("value", value_width)
            ))
        )?;
        for row in &inspected.rows {
            let presence = match row.presence {
                Some(presence) => presence.to_string(),
                None => "not in this PG's schema".to_owned(),
            };
            writeln!(
                out,
                "  {} {} {presence}",
                pad(&row.key, key_width),
                pad(&row.value.text(), value_width)
            )?;
        }
        writeln!(
            out,
            "  PG:      {} — found from {}",
            inspected.pg.as_deref().unwrap_or("none"),
            inspected.found_by
        )?;
        writeln!(
            out,
            "  outcome: {} (claimed in the buyer's browser)",
            style.outcome(&inspected.outcome)
        )?;
        writeln!(out, "  next:    {}\n", inspected.next)?;
    }
    // The summary: one line per input.
    let file_width = reports
        .iter()
        .map(|r| columns(&r.file))
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(out, "{}", style.bold(&format!("{} inputs", reports.len())))?;
    writeln!(
        out,
        "  {}",
        style.dim(&format!(
            "{} {} {} unknown keys",
            pad("file", file_width),
            pad("PG", 14),
            pad("outcome", 8)
        ))
    )?;
    for report in reports {
        let (pg, outcome, unknown) = match &report.result {
            Ok(inspected) => (
                inspected.code.clone().unwrap_or_else(|| "-".into()),
                outcome_word(&inspected.outcome).to_owned(),
                inspected.unknown_keys.join(", "),
            ),
            Err(_) => ("-".into(), "error".into(), String::new()),
        };
        writeln!(
            out,
            "  {} {} {} {}",
            pad(&report.file, file_width),
            pad(&pg, 14),
            pad(&outcome, 8),
            if unknown.is_empty() { "-" } else { &unknown }
        )?;
    }
    Ok(())
}

fn to_json(reports: &[Report]) -> Value {
    Value::Array(
        reports
            .iter()
            .map(|report| match &report.result {
                Err(e) => json!({ "file": report.file, "error": e }),
                Ok(inspected) => json!({
                    "file": report.file,
                    "pg": inspected.code,
                    "pg_name": inspected.pg,
                    "found_by": inspected.found_by,
                    "outcome": outcome_word(&inspected.outcome),
                    "claim": inspected.outcome.to_string(),
                    "properties": inspected.rows.iter().map(|row| {
                        let (what, value) = row.value.json();
                        json!({
                            "key": row.key,
                            what: value,
                            "presence": row.presence.map_or("not in this PG's schema", Presence::as_str),
                        })
                    }).collect::<Vec<_>>(),
                    "unknown_keys": inspected.unknown_keys,
                    "next": inspected.next,
                }),
            })
            .collect(),
    )
}
