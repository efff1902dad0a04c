//! Every fixture kind has one manifest in one format: each file is listed,
//! each listed file exists, and each parses to what its entry expects.

use crate::support;

use portone_pg::rest::{ApiResponse, Payment};
use portone_pg::{CertificationResponse, PaymentResponse, Webhook};
use support::{Fixture, claim, fixture_dir, manifest, outcome_name, read, read_text};

const KINDS: &[&str] = &[
    "callbacks",
    "redirects",
    "certification",
    "webhooks",
    "rest",
    "rest_objects",
];

/// What a fixture parses to, in its manifest's words.
fn result(kind: &str, fixture: &Fixture) -> Result<String, portone_pg::Error> {
    let file = fixture.file.as_str();
    let pg = fixture.pg.as_deref();
    let query = || {
        let text = read_text(kind, file);
        match text.split_once('?') {
            Some((_, query)) if file.ends_with(".url") => query.to_owned(),
            _ => text,
        }
    };
    Ok(match kind {
        "callbacks" => claim(&match pg {
            Some(pg) => PaymentResponse::from_json_with_pg(pg, &read(kind, file))?,
            None => PaymentResponse::from_json(&read(kind, file))?,
        }),
        "redirects" => claim(&match pg {
            Some(pg) => PaymentResponse::from_query_with_pg(pg, &query())?,
            None => PaymentResponse::from_query(&query())?,
        }),
        "certification" => {
            let response = match (pg, file.ends_with(".json")) {
                (Some(pg), true) => {
                    CertificationResponse::from_json_with_pg(pg, &read(kind, file))?
                }
                (None, true) => CertificationResponse::from_json(&read(kind, file))?,
                (Some(pg), false) => CertificationResponse::from_query_with_pg(pg, &query())?,
                (None, false) => CertificationResponse::from_query(&query())?,
            };
            let variant = match &response {
                CertificationResponse::Unknown(_) => "unknown".to_owned(),
                known => known.provider().unwrap().to_string(),
            };
            format!("{variant} {}", outcome_name(&response.outcome()))
        }
        "webhooks" => {
            let content_type = if file.ends_with(".form") {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            let body = read_text(kind, file);
            Webhook::from_body(content_type, body.as_bytes())?
                .status()
                .to_string()
        }
        "rest" => match ApiResponse::<Payment>::from_json(&read(kind, file))?.into_result() {
            Ok(payment) => payment.status.to_string(),
            Err(e) => format!("api {}", e.api_code().ok_or(e)?),
        },
        "rest_objects" => rest_object(&read(kind, file), &fixture.expect)?,
        other => panic!("no such fixture kind: {other}"),
    })
}

/// A REST object other than the payment, parsed as the type its manifest
/// names first: `"<type> <its id>"`.
fn rest_object(body: &[u8], expect: &str) -> Result<String, portone_pg::Error> {
    use portone_pg::rest::{
        AccountHolder, BillingKeyInfo, CashReceipt, EscrowDelivery, ExternalCashReceipt,
        PaymentBalance, ScheduledPayment, StandardCode,
    };
    fn parse<T: portone_pg::rest::Payload>(body: &[u8]) -> Result<T, portone_pg::Error> {
        ApiResponse::<T>::from_json(body)?.into_result()
    }
    let ty = expect.split(' ').next().unwrap_or_default();
    let id = match ty {
        "BillingKeyInfo" => parse::<BillingKeyInfo>(body)?
            .customer_uid
            .unwrap_or_default(),
        "ScheduledPayment" => parse::<Vec<ScheduledPayment>>(body)?[0]
            .merchant_uid
            .clone(),
        "EscrowDelivery" => parse::<EscrowDelivery>(body)?.invoice,
        "CashReceipt" => parse::<CashReceipt>(body)?.imp_uid,
        "ExternalCashReceipt" => parse::<ExternalCashReceipt>(body)?.merchant_uid,
        "PaymentBalance" => parse::<PaymentBalance>(body)?.amount.to_string(),
        "StandardCode" => parse::<Vec<StandardCode>>(body)?[0].code.clone(),
        "AccountHolder" => {
            parse::<AccountHolder>(body)?;
            String::new()
        }
        other => panic!("no REST object type {other}"),
    };
    Ok(format!("{ty} {id}").trim_end().to_owned())
}

#[test]
fn every_fixture_is_listed_and_every_listed_file_exists() {
    for kind in KINDS {
        let mut listed: Vec<String> = manifest(kind).into_iter().map(|f| f.file).collect();
        let mut present: Vec<String> = std::fs::read_dir(fixture_dir(kind))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name != "manifest.json")
            .collect();
        listed.sort();
        present.sort();
        assert_eq!(listed, present, "{kind}");
        for fixture in manifest(kind) {
            assert!(
                !fixture.source.is_empty(),
                "{kind}/{}: no source",
                fixture.file
            );
        }
    }
}

#[test]
fn every_fixture_parses_to_what_its_manifest_expects() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for kind in KINDS {
        for fixture in manifest(kind) {
            match result(kind, &fixture) {
                Ok(got) if got == fixture.expect => {}
                Ok(got) => wrong.push(format!(
                    "{kind}/{}: expected {}, got {got}",
                    fixture.file, fixture.expect
                )),
                Err(e) => wrong.push(format!(
                    "{kind}/{}: expected {}, got error {e}",
                    fixture.file, fixture.expect
                )),
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 80, "{checked} fixtures");
}
