//! Parsing through the public API: each channel (callback, redirect, webhook,
//! REST), the dispatcher and its one-pass path, and the bundled fixtures.

#[path = "../support/mod.rs"]
mod support;

mod certification;
mod check_success;
mod dispatch;
mod failures;
mod fixtures;
mod manifests;
mod one_pass;
mod redirects;
mod rest;
mod shared_accessors;
mod webhooks;
