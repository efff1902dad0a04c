// The same program as with-ledger, built with the `postgres` feature too.
include!("../../with-ledger/src/main.rs");
