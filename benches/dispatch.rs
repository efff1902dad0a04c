//! portone-pg's parses against four baselines measured in the same run:
//!
//! - `plain_derive`: a `#[derive(Deserialize)]` struct with the same keys and
//!   strict types (`u64` amounts, `bool` flags, no leniency, unknown keys
//!   dropped) — the practical limit of a serde parse;
//! - `plain_derive_str`: the same, parsed with `from_str` after one UTF-8
//!   check of the whole body (the trick portone-pg uses too);
//! - `tagged_enum`: serde's internally tagged enum over portone-pg's PG
//!   types (the whole object is buffered, then parsed again);
//! - `value_then_from_value`: `serde_json::Value`, read the tag, then
//!   `serde_json::from_value` into the same portone-pg type.
//!
//! `cargo bench -p portone-pg-benches --bench dispatch`; BENCHMARKS.md explains
//! how the ratios are read off the output. The inputs, baselines and the list
//! of parses are in `cases.rs`, shared with `repeat.rs`.

use std::hint::black_box;

use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};
use portone_pg::rest::{ApiResponse, Payment};
use portone_pg::{PaymentResponse, RedirectResult, pg};
use serde_json::Value;

mod cases;
use cases::*;

fn group<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group
}

/// One criterion function per group, each parse measured in it.
macro_rules! criterion_groups {
    ($( $group:ident($bytes:expr) { $( $name:ident: $parse:expr, )* } )*) => {
        $(
            fn $group(c: &mut Criterion) {
                let mut g = group(c, stringify!($group), $bytes);
                $( g.bench_function(stringify!($name), |b| b.iter(|| $parse)); )*
                g.finish();
            }
        )*
        criterion_group!(benches, $($group),*);
    };
}

for_each_case!(criterion_groups);
criterion_main!(benches);
