//! What portone-pg makes of one input, whichever door it came through:
//! its properties next to what the PG's schema (or the REST object) says
//! of them, the PG and how it was found, the claim, and what to do next.

use portone_pg::rest::{ApiResponse, Expected, Payment};
use portone_pg::{Amount, Outcome, PaymentResponse, Webhook};
use serde_json::{Map, Value};

use crate::input::{Body, Channel, Input, json_type};

/// What one input made.
pub struct Inspected {
    pub channel: Channel,
    /// The PG's name and code.
    pub pg: Option<String>,
    pub code: Option<String>,
    pub found_by: &'static str,
    /// One word: `success`, `failure`, `unknown`, or a REST or webhook
    /// status.
    pub outcome: String,
    /// The claim or the status, in a sentence.
    pub claim: String,
    pub rows: Vec<Row>,
    pub unknown_keys: Vec<String>,
    pub next: String,
}

/// One property: key, value as it may be shown, and what the schema or
/// the object's type says of it.
pub struct Row {
    pub key: String,
    pub value: Shown,
    pub note: String,
}

/// What of a value is shown.
pub enum Shown {
    /// The value itself.
    Value(Value),
    /// Personal data: nothing.
    Redacted,
    /// A key the schema does not list (possibly personal): its JSON type.
    Type(&'static str),
}

/// A `--expect merchant_uid:amount`.
pub struct Expect {
    pub merchant_uid: String,
    pub amount: Amount,
}

impl Expect {
    pub fn parse(text: &str) -> Result<Expect, String> {
        let (merchant_uid, amount) = text
            .rsplit_once(':')
            .ok_or("--expect takes MERCHANT_UID:AMOUNT, e.g. --expect order-1:1004")?;
        let amount = amount
            .parse::<Amount>()
            .map_err(|e| format!("--expect: the amount {amount:?} is not a decimal number: {e}"))?;
        Ok(Expect {
            merchant_uid: merchant_uid.to_owned(),
            amount,
        })
    }
}

const UNLISTED: &str = "not in this PG's schema";

/// Inspects one input by its channel.
pub fn inspect(
    input: &Input,
    pg: Option<&str>,
    expect: Option<&Expect>,
) -> Result<Inspected, String> {
    match input.channel {
        Channel::Callback | Channel::Redirect => claim(input, pg),
        Channel::Webhook => webhook(input),
        Channel::Rest => rest(input, expect),
    }
    .map_err(|e| format!("{}: {e}", input.name))
}

/// A callback or a redirect: typed by its PG's schema.
fn claim(input: &Input, pg: Option<&str>) -> Result<Inspected, String> {
    let response = match (&input.body, pg) {
        (Body::Json(bytes, _), Some(pg)) => PaymentResponse::from_json_with_pg(pg, bytes),
        (Body::Json(bytes, _), None) => PaymentResponse::from_json(bytes),
        (Body::Query(query), Some(pg)) => PaymentResponse::from_query_with_pg(pg, query),
        (Body::Query(query), None) => PaymentResponse::from_query(query),
    }
    .map_err(|e| format!("{e} ({:?})", e.kind()))?;
    let names_pg = match &input.body {
        Body::Json(_, object) => object.get("pg_provider").is_some_and(Value::is_string),
        Body::Query(query) => portone_pg::query::param(query, "pg_provider")
            .ok()
            .flatten()
            .is_some(),
    };
    let found_by = match (response.provider(), names_pg) {
        (None, _) => "not named: no pg_provider in it and no --pg",
        (Some(_), true) => "found from its pg_provider",
        (Some(_), false) => "found from the request's pg (--pg)",
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
                note: field.presence.to_string(),
            });
        }
    }
    for (key, value) in &object {
        if schema.iter().all(|field| field.name != key) {
            rows.push(Row {
                key: key.clone(),
                // Not in the schema: it may be personal, so only its type.
                value: Shown::Type(json_type(value)),
                note: UNLISTED.to_owned(),
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
        channel: input.channel,
        pg: response.provider().map(|p| match p.name() {
            Some(name) => format!("{name} ({p})"),
            None => format!("{p} (no schema here)"),
        }),
        code: response.provider().map(|p| p.to_string()),
        found_by,
        outcome: outcome_word(&outcome).to_owned(),
        claim: format!("{outcome} (claimed in the buyer's browser)"),
        rows,
        unknown_keys,
        next,
    })
}

/// How a property of a REST object or a webhook is shown.
enum Kind {
    /// Its value.
    Shown,
    /// Personal data: nothing.
    Personal,
    /// Only its JSON type, with why.
    TypeOnly(&'static str),
}

/// Rows of an object whose type says how to show each key; keys shown by
/// type only because the type does not know them are also listed apart.
fn object_rows(
    object: &Map<String, Value>,
    kind: impl Fn(&str) -> Kind,
) -> (Vec<Row>, Vec<String>) {
    let mut rows = Vec::new();
    let mut unknown_keys = Vec::new();
    for (key, value) in object {
        let (value, note) = match kind(key) {
            Kind::Shown => (Shown::Value(value.clone()), String::new()),
            Kind::Personal => (Shown::Redacted, "personal data".to_owned()),
            Kind::TypeOnly(why) => {
                if why == UNKNOWN {
                    unknown_keys.push(key.clone());
                }
                (Shown::Type(json_type(value)), why.to_owned())
            }
        };
        rows.push(Row {
            key: key.clone(),
            value,
            note,
        });
    }
    (rows, unknown_keys)
}

const UNKNOWN: &str = "not in the V1 reference's object";

fn webhook(input: &Input) -> Result<Inspected, String> {
    let webhook = match &input.body {
        Body::Json(bytes, _) => Webhook::from_json(bytes),
        Body::Query(query) => Webhook::from_form(query.as_bytes()),
    }
    .map_err(|e| format!("{e} ({:?})", e.kind()))?;
    let written = serde_json::to_value(&webhook).map_err(|e| e.to_string())?;
    let object = written.as_object().cloned().unwrap_or_default();
    let (rows, unknown_keys) = object_rows(&object, |key| {
        if webhook.unknown.contains_key(key) {
            Kind::TypeOnly(UNKNOWN)
        } else if key == "extra" {
            // An event's details may hold anything.
            Kind::TypeOnly("the event's details")
        } else if Webhook::is_personal_data(key) {
            Kind::Personal
        } else {
            Kind::Shown
        }
    });
    let status = webhook.status();
    Ok(Inspected {
        channel: Channel::Webhook,
        pg: None,
        code: None,
        found_by: "a webhook names none",
        outcome: status.to_string(),
        claim: format!("`{status}`, as sent to your URL: anyone who knows the URL can send this"),
        rows,
        unknown_keys,
        next: format!(
            "a hint, not proof: GET /payments/{}, then verify() it against the stored order",
            webhook.imp_uid()
        ),
    })
}

fn rest(input: &Input, expect: Option<&Expect>) -> Result<Inspected, String> {
    let Body::Json(bytes, object) = &input.body else {
        return Err("a REST object is JSON".into());
    };
    let payment = if object.contains_key("response") {
        ApiResponse::<Payment>::from_json(bytes)
            .and_then(ApiResponse::into_result)
            .map_err(|e| format!("{e} ({:?})", e.kind()))?
    } else {
        Payment::from_json(bytes).map_err(|e| format!("{e} ({:?})", e.kind()))?
    };
    let written = serde_json::to_value(&payment).map_err(|e| e.to_string())?;
    let object = written.as_object().cloned().unwrap_or_default();
    let (rows, unknown_keys) = object_rows(&object, |key| {
        if payment.extra.contains_key(key) {
            Kind::TypeOnly(UNKNOWN)
        } else if Payment::is_personal_data(key) {
            Kind::Personal
        } else {
            Kind::Shown
        }
    });
    let code = payment.pg_provider.as_ref().map(ToString::to_string);
    let next = match expect {
        Some(expect) => {
            let expected = Expected::new(&expect.merchant_uid, expect.amount);
            match payment.verify(&expected) {
                Ok(verified) => format!(
                    "verify() accepts it for {}:{}: {:?}; fulfil the order once",
                    expect.merchant_uid,
                    expect.amount,
                    verified.settlement()
                ),
                Err(refused) => format!(
                    "verify() refuses it for {}:{}: {refused}; do not fulfil",
                    expect.merchant_uid, expect.amount
                ),
            }
        }
        None => format!(
            "the proof, once verified: verify() compares merchant_uid ({}), amount ({}), currency \
             and status with your order and refuses a test payment; give --expect MERCHANT_UID:AMOUNT to run it",
            payment.merchant_uid, payment.amount
        ),
    };
    Ok(Inspected {
        channel: Channel::Rest,
        pg: code.clone(),
        code,
        found_by: "found from its pg_provider",
        outcome: payment.status.to_string(),
        claim: format!("`{}`, as PortOne records it", payment.status),
        rows,
        unknown_keys,
        next,
    })
}

pub fn outcome_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "success",
        Outcome::Failure { .. } => "failure",
        Outcome::Unknown => "unknown",
    }
}
