//! The optional integrations: the REST client's billing calls, the axum and
//! actix-web extractors, and the JSON Schemas.

#[path = "../support/mod.rs"]
mod support;

mod billing;
mod extract_actix;
mod extract_axum;
mod json_schema;
