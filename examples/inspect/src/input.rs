//! What the user handed over, and which door of PortOne's it came through:
//! a callback body, a redirect (URL or query), a webhook (JSON or form) or
//! a REST payment object (bare or in its envelope).

use std::io::Read;

use serde_json::{Map, Value};

/// The four ways a payment result reaches a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The `IMP.request_pay` callback object (JSON).
    Callback,
    /// The `m_redirect_url` query string (a URL or the query alone).
    Redirect,
    /// The webhook PortOne posts (JSON or a form).
    Webhook,
    /// The REST payment object, `GET /payments/{imp_uid}` (bare or in its
    /// `{code, message, response}` envelope).
    Rest,
}

impl Channel {
    /// The name `--channel` takes and the output shows.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Callback => "callback",
            Channel::Redirect => "redirect",
            Channel::Webhook => "webhook",
            Channel::Rest => "rest",
        }
    }

    pub fn from_name(name: &str) -> Option<Channel> {
        [
            Channel::Callback,
            Channel::Redirect,
            Channel::Webhook,
            Channel::Rest,
        ]
        .into_iter()
        .find(|c| c.name() == name)
    }
}

/// One input, read and classified.
pub struct Input {
    /// The file name, `-`, or the URL as given.
    pub name: String,
    pub channel: Channel,
    pub body: Body,
}

/// An input's content in the form its channel is parsed from.
pub enum Body {
    /// A JSON object: its text, and the object.
    Json(Vec<u8>, Map<String, Value>),
    /// A query string (`imp_uid=…&…`), without `?`.
    Query(String),
}

impl Body {
    /// The pairs, in order, with a query's values as JSON strings: what the
    /// drafter and the checker compare with the catalogue.
    pub fn pairs(&self) -> Result<Vec<(String, Value)>, String> {
        match self {
            Body::Json(_, object) => Ok(object.clone().into_iter().collect()),
            Body::Query(query) => {
                let params = portone_pg::query::params(query).map_err(|e| e.to_string())?;
                Ok(params
                    .into_iter()
                    .map(|(key, value)| (key, Value::String(value)))
                    .collect())
            }
        }
    }
}

/// Keys that make a query PortOne's.
const PORTONE_KEYS: &[&str] = &["imp_uid", "merchant_uid", "impUid", "merchantUid"];

/// Keys that make an object PortOne's: the ids, or the SDK's answer
/// before any payment exists (`error_code` F1002 and the like).
const OBJECT_KEYS: &[&str] = &[
    "imp_uid",
    "merchant_uid",
    "impUid",
    "merchantUid",
    "txId",
    "paymentId",
    "success",
    "imp_success",
    "error_code",
    "error_msg",
    "pg_provider",
];

/// Reads an argument: a file, `-` (stdin), or a redirect URL or query
/// given on the command line. `channel` overrides the detection.
pub fn read(arg: &str, channel: Option<Channel>) -> Result<Input, String> {
    let (text, given_inline) = if arg == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("-: cannot read stdin: {e}"))?;
        (bytes, false)
    } else if std::path::Path::new(arg).is_file() {
        (
            std::fs::read(arg).map_err(|e| format!("{arg}: cannot read: {e}"))?,
            false,
        )
    } else if looks_like_query(arg) {
        (arg.as_bytes().to_vec(), true)
    } else {
        return Err(format!(
            "{arg}: no such file, and not a redirect URL or query (imp_uid=…&merchant_uid=…)"
        ));
    };
    let name = if given_inline {
        "(the redirect given)".to_owned()
    } else {
        arg.to_owned()
    };
    classify(name, &text, channel)
}

fn looks_like_query(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://") || arg.contains('=')
}

/// Decides the channel of `bytes` (unless `forced`) and prepares its body.
pub fn classify(name: String, bytes: &[u8], forced: Option<Channel>) -> Result<Input, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("{name}: not UTF-8 text ({e}); a response is JSON or a query"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(format!(
            "{name}: empty; expected a JSON object, a redirect URL or a query"
        ));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value: Value = serde_json::from_str(trimmed).map_err(|e| {
            format!("{name}: not JSON ({e}); expected one object as PortOne sent it")
        })?;
        let Value::Object(object) = value else {
            return Err(format!(
                "{name}: a JSON {}, not an object",
                json_type(&value)
            ));
        };
        let channel = match forced {
            Some(channel @ (Channel::Callback | Channel::Webhook | Channel::Rest)) => channel,
            Some(Channel::Redirect) => {
                return Err(format!(
                    "{name}: --channel redirect takes a URL or a query, not JSON"
                ));
            }
            None => json_channel(&object),
        };
        if channel != Channel::Rest && !OBJECT_KEYS.iter().any(|k| object.contains_key(*k)) {
            return Err(format!(
                "{name}: an object with none of PortOne's keys (imp_uid, merchant_uid, success, error_code …)"
            ));
        }
        return Ok(Input {
            name,
            channel,
            body: Body::Json(trimmed.as_bytes().to_vec(), object),
        });
    }
    if !trimmed.contains('=') {
        return Err(format!(
            "{name}: neither JSON nor a query; expected a JSON object, a redirect URL or a query"
        ));
    }
    // A URL or a query: the redirect, or a webhook sent as a form.
    let query = match trimmed.split_once('?') {
        Some((before, query)) if !before.contains('=') => query,
        _ => trimmed,
    };
    let query = query.split('#').next().unwrap_or_default().to_owned();
    let pairs = portone_pg::query::params(&query).map_err(|e| format!("{name}: {e}"))?;
    if !pairs.keys().any(|k| PORTONE_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "{name}: a query with none of PortOne's keys (imp_uid, merchant_uid)"
        ));
    }
    let channel = match forced {
        Some(channel @ (Channel::Redirect | Channel::Webhook)) => channel,
        Some(other) => {
            return Err(format!(
                "{name}: --channel {} takes JSON, not a query",
                other.name()
            ));
        }
        // The webhook's form carries `status` and no claim of success.
        None if pairs.contains_key("status")
            && !pairs.contains_key("imp_success")
            && !pairs.contains_key("success") =>
        {
            Channel::Webhook
        }
        None => Channel::Redirect,
    };
    Ok(Input {
        name,
        channel,
        body: Body::Query(query),
    })
}

/// A JSON object's channel, from its keys: the envelope and the REST
/// object carry keys no callback does; the webhook only a few.
fn json_channel(object: &Map<String, Value>) -> Channel {
    let has = |key: &str| object.contains_key(key);
    if has("code") && has("response") {
        return Channel::Rest;
    }
    let claims = [
        "success",
        "imp_success",
        "paid_amount",
        "error_code",
        "error_msg",
    ];
    if has("amount") && has("status") && !claims.iter().any(|k| has(k)) {
        return Channel::Rest;
    }
    let webhook = [
        "imp_uid",
        "merchant_uid",
        "status",
        "cancellation_id",
        "event",
        "extra",
    ];
    if has("status") && object.keys().all(|k| webhook.contains(&k.as_str())) {
        return Channel::Webhook;
    }
    Channel::Callback
}

pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(text: &str) -> Result<Channel, String> {
        classify("t".into(), text.as_bytes(), None).map(|i| i.channel)
    }

    #[test]
    fn each_door_is_recognised() {
        assert_eq!(
            channel(r#"{"success":true,"imp_uid":"i","merchant_uid":"m"}"#),
            Ok(Channel::Callback)
        );
        assert_eq!(
            channel("https://shop.example/done?imp_uid=i&merchant_uid=m&imp_success=true"),
            Ok(Channel::Redirect)
        );
        assert_eq!(channel("imp_uid=i&merchant_uid=m"), Ok(Channel::Redirect));
        assert_eq!(
            channel(r#"{"imp_uid":"i","merchant_uid":"m","status":"paid"}"#),
            Ok(Channel::Webhook)
        );
        assert_eq!(
            channel("imp_uid=i&merchant_uid=m&status=paid"),
            Ok(Channel::Webhook)
        );
        assert_eq!(
            channel(r#"{"code":0,"message":null,"response":{}}"#),
            Ok(Channel::Rest)
        );
        assert_eq!(
            channel(
                r#"{"imp_uid":"i","merchant_uid":"m","amount":1,"status":"paid","currency":"KRW"}"#
            ),
            Ok(Channel::Rest)
        );
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        assert!(channel("").unwrap_err().contains("empty"));
        assert!(channel("{not json").unwrap_err().contains("not JSON"));
        assert!(
            channel("plain text")
                .unwrap_err()
                .contains("neither JSON nor a query")
        );
        assert!(channel("[1]").unwrap_err().contains("not an object"));
        assert!(
            channel("a=1&b=2")
                .unwrap_err()
                .contains("none of PortOne's keys")
        );
        assert!(
            channel(r#"{"a":1}"#)
                .unwrap_err()
                .contains("none of PortOne's keys")
        );
    }
}
