//! Runs the parses listed in `cases.rs` outside criterion, for the two
//! measurements a noisy machine cannot spoil (`benches/ratios.sh` runs both):
//!
//! - `repeat GROUP NAME COUNT` parses `COUNT` times, for an instruction count
//!   under callgrind: the same total for the same binary and input, whatever
//!   else the machine is doing;
//! - `repeat GROUP NAME BASELINE ROUNDS` times `NAME` and `BASELINE` in
//!   alternate batches of about a millisecond, `ROUNDS` times, and prints the
//!   median of the per-round time ratios with its quartiles: a drift of the
//!   machine's speed, slower than a round, changes both sides alike.
//!
//! `repeat --list` prints every `GROUP NAME`.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use portone_pg::rest::{ApiResponse, Payment};
use portone_pg::{PaymentResponse, RedirectResult, pg};
use serde_json::Value;

mod cases;
use cases::*;

/// `run` (one listed parse, a number of times) and `LISTED`.
macro_rules! runners {
    ($( $group:ident($bytes:expr) { $( $name:ident: $parse:expr, )* } )*) => {
        /// Parses `group`/`name` `count` times; `false` if no such parse is listed.
        fn run(group: &str, name: &str, count: u64) -> bool {
            match (group, name) {
                $($( (stringify!($group), stringify!($name)) => {
                    for _ in 0..count {
                        black_box($parse);
                    }
                    true
                } )*)*
                _ => false,
            }
        }

        /// Every listed parse, as `(group, name)`.
        const LISTED: &[(&str, &str)] = &[$($( (stringify!($group), stringify!($name)), )*)*];
    };
}

for_each_case!(runners);

/// How many parses of `name` take about a millisecond.
fn batch(group: &str, name: &str) -> u64 {
    let mut count = 1;
    loop {
        let start = Instant::now();
        run(group, name, count);
        if start.elapsed() >= Duration::from_millis(1) || count >= 1 << 24 {
            return count;
        }
        count *= 2;
    }
}

/// The time of `count` parses, in nanoseconds per parse.
fn time(group: &str, name: &str, count: u64) -> f64 {
    let start = Instant::now();
    run(group, name, count);
    start.elapsed().as_nanos() as f64 / count as f64
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn pair(group: &str, name: &str, baseline: &str, rounds: usize) {
    let (ours, theirs) = (batch(group, name), batch(group, baseline));
    let (mut ratios, mut ours_ns, mut theirs_ns) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so neither always runs on a warmer cache.
        let (a, b) = if round % 2 == 0 {
            let a = time(group, name, ours);
            (a, time(group, baseline, theirs))
        } else {
            let b = time(group, baseline, theirs);
            (time(group, name, ours), b)
        };
        ratios.push(a / b);
        ours_ns.push(a);
        theirs_ns.push(b);
    }
    for v in [&mut ratios, &mut ours_ns, &mut theirs_ns] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "ratio {:.3} q1 {:.3} q3 {:.3} {name} {:.1} {baseline} {:.1}",
        quantile(&ratios, 0.5),
        quantile(&ratios, 0.25),
        quantile(&ratios, 0.75),
        quantile(&ours_ns, 0.5),
        quantile(&theirs_ns, 0.5),
    );
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args[..] {
        ["--list"] => {
            for (group, name) in LISTED {
                println!("{group} {name}");
            }
        }
        [group, name, count] if LISTED.contains(&(group, name)) => match count.parse() {
            Ok(count) => {
                run(group, name, count);
            }
            Err(_) => return usage(),
        },
        [group, name, baseline, rounds]
            if LISTED.contains(&(group, name)) && LISTED.contains(&(group, baseline)) =>
        {
            match rounds.parse() {
                Ok(rounds) if rounds > 0 => pair(group, name, baseline, rounds),
                _ => return usage(),
            }
        }
        // `cargo bench` without arguments runs every bench target: nothing to do.
        [] => {}
        _ => return usage(),
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: repeat --list | GROUP NAME COUNT | GROUP NAME BASELINE ROUNDS (see repeat --list)"
    );
    ExitCode::FAILURE
}
