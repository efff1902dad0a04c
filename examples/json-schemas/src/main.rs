//! Writes what portone-pg's schema files know as JSON Schema, for frontends
//! and other languages: one file per PG (`kcp.json`, `tosspayments.json`, …)
//! plus `PaymentResponse.json` (any PG), `Payment.json` (the REST object)
//! and `Webhook.json`.
//!
//! ```text
//! cargo run -p json-schemas -- target/json-schemas
//! ```

use std::path::PathBuf;

use portone_pg::rest::Payment;
use portone_pg::{PaymentResponse, Webhook};
use schemars::{JsonSchema, Schema, SchemaGenerator};

fn root<T: JsonSchema>() -> Schema {
    SchemaGenerator::default().into_root_schema_for::<T>()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: json-schemas OUT_DIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    let mut files = PaymentResponse::json_schemas();
    files.push(("PaymentResponse", root::<PaymentResponse>()));
    files.push(("Payment", root::<Payment>()));
    files.push(("Webhook", root::<Webhook>()));
    for (name, schema) in &files {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(schema)? + "\n")?;
    }
    println!(
        "wrote {} JSON Schema files to {}",
        files.len(),
        dir.display()
    );
    Ok(())
}
