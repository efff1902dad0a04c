//! Shows what portone-pg makes of payment responses.
//!
//! ```text
//! cargo run --example inspect                         # the bundled real-world fixtures
//! cargo run --example inspect -- response.json        # a captured callback body
//! cargo run --example inspect -- - --pg tosspayments  # from stdin, with the request's `pg`
//! ```
//!
//! For each response: the PG and how it was found (the body's `pg_provider`
//! or the `pg` hint), the claimed outcome, the typed fields (personal data
//! redacted), the keys the schema does not know, and the next step: verify
//! through the REST API.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use portone_pg::{Outcome, PaymentResponse};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut pg = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--pg" => match args.next() {
                Some(code) => pg = Some(code),
                None => return usage("--pg needs a code, e.g. --pg tosspayments"),
            },
            "-h" | "--help" => return usage(""),
            _ if file.is_none() => file = Some(arg),
            _ => return usage(&format!("unexpected argument {arg:?}")),
        }
    }
    match file {
        None => bundled(),
        Some(path) => {
            let mut body = Vec::new();
            let read = if path == "-" {
                std::io::stdin().read_to_end(&mut body).map(drop)
            } else {
                std::fs::read(&path).map(|bytes| body = bytes)
            };
            if let Err(e) = read {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
            if inspect(&path, &body, pg.as_deref()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}\n");
    }
    eprintln!(
        "usage: inspect [FILE|-] [--pg CODE]\n\nWithout FILE, inspects the bundled fixtures (tests/fixtures/callbacks)."
    );
    if problem.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// Every fixture listed in the manifest, with its source.
fn bundled() -> ExitCode {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/callbacks");
    let manifest: serde_json::Value = match std::fs::read(dir.join("manifest.json"))
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
    {
        Ok(manifest) => manifest,
        Err(e) => {
            eprintln!("cannot read the fixture manifest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let entries = manifest.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut ok = true;
    for entry in entries {
        let file = entry["file"].as_str().unwrap_or_default();
        println!("# {}", entry["source"].as_str().unwrap_or_default());
        println!("# {}", entry["note"].as_str().unwrap_or_default());
        match std::fs::read(dir.join(file)) {
            Ok(body) => ok &= inspect(file, &body, entry["pg"].as_str()),
            Err(e) => {
                eprintln!("cannot read {file}: {e}");
                ok = false;
            }
        }
    }
    println!("{} responses inspected.", entries.len());
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prints one response; `false` if it could not be parsed.
fn inspect(name: &str, body: &[u8], pg: Option<&str>) -> bool {
    println!("== {name}");
    let parsed = match pg {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, body),
        None => PaymentResponse::from_json(body),
    };
    let response = match parsed {
        Ok(response) => response,
        Err(e) => {
            println!("   error ({:?}): {e}\n", e.kind());
            return false;
        }
    };
    let body_names_pg = serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|v| v.get("pg_provider").is_some_and(|p| p.is_string()));
    let detected = match (&response, response.provider()) {
        (_, None) => "no PG: the body has no pg_provider and no --pg was given".to_owned(),
        (PaymentResponse::Unknown(_), Some(p)) => {
            format!("`{p}`, which has no schema here (kept as Unknown)")
        }
        (_, Some(p)) => format!("{} `{p}`", p.name().unwrap_or_default()),
    };
    let how = match (body_names_pg, pg) {
        (true, _) => " (from the body's pg_provider)",
        (false, Some(_)) => " (from the --pg hint)",
        (false, None) => "",
    };
    println!("   PG:      {detected}{how}");
    println!(
        "   outcome: {} (claimed by the browser)",
        response.outcome()
    );
    // The Debug form shows each value's type and redacts personal data;
    // absent properties are left out here to keep it short.
    let typed = format!("{response:#?}");
    println!("   typed (absent properties omitted):");
    for line in typed.lines().filter(|l| !l.trim_end().ends_with(": None,")) {
        println!("     {line}");
    }
    let extra: Vec<&String> = match &response {
        PaymentResponse::Unknown(_) => Vec::new(),
        known => known.extra().keys().collect(),
    };
    if extra.is_empty() {
        println!("   keys the schema does not know: none");
    } else {
        println!("   keys the schema does not know (kept in `extra`): {extra:?}");
    }
    match (response.outcome(), response.imp_uid()) {
        (Outcome::Success, Some(imp_uid)) => println!(
            "   next:    a claim, not proof. GET /payments/{imp_uid}, then check status and amount against the order."
        ),
        (Outcome::Success, None) => println!(
            "   next:    a claim without imp_uid: look the payment up by merchant_uid before trusting it."
        ),
        (_, Some(imp_uid)) => println!(
            "   next:    not a success claim; GET /payments/{imp_uid} tells what really happened."
        ),
        (_, None) => println!("   next:    no payment was created (no imp_uid)."),
    }
    println!();
    true
}
