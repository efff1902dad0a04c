//! Shows what portone-pg makes of payment results, and drafts or checks a
//! PG's schema file from captured responses.
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

use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let status = inspect::run(
        std::env::args().skip(1).collect(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        colour,
    );
    ExitCode::from(status)
}
