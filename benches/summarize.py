#!/usr/bin/env python3
"""Prints BENCHMARKS.md's tables from criterion's saved estimates.

Run after `cargo bench -p portone-pg-benches --bench dispatch`:  python3 benches/summarize.py
Each row: portone-pg's median, then each baseline's median and the ratio
portone-pg / baseline (below 1.00 means portone-pg is faster).

Criterion measures one function after another, so on a machine whose speed
drifts one run can skew a row. For the parse table, run the bench several
times with `-- --save-baseline NAME` (a different NAME each time) and pass
the names:  python3 benches/summarize.py r1 r2 r3
Each time is then the median over the runs, and each ratio the median of the
runs' own ratios (each taken within one run).
"""
import json
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
GROUPS = ["full_callback_kcp", "thin_callback_tosspay_v2", "thin_success_tosspayments", "unknown_pg", "redirect_query", "rest_payment"]
BASELINES = ["plain_derive", "plain_derive_str", "tagged_enum", "value_then_from_value"]
RUNS = sys.argv[1:] or ["new"]


def median(group, function, run="new"):
    path = ROOT / group / function / run / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def runs(group, function):
    """The function's median in each run, or None unless every run has it."""
    times = [median(group, function, run) for run in RUNS]
    return None if None in times else times


def fmt(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


print("| input | portone-pg | " + " | ".join(BASELINES) + " |")
print("|---|---:|" + "---:|" * len(BASELINES))
for group in GROUPS:
    ours = runs(group, "portone_pg")
    if ours is None:
        continue
    cells = []
    for baseline in BASELINES:
        theirs = runs(group, baseline)
        if theirs is None:
            cells.append("n/a")
            continue
        ratio = statistics.median(o / t for o, t in zip(ours, theirs))
        cells.append(f"{fmt(statistics.median(theirs))} ({ratio:.2f}×)")
    print(f"| {group} | {fmt(statistics.median(ours))} | " + " | ".join(cells) + " |")

# The REST client (cargo bench -p portone-pg-benches --bench confirm): the
# same HTTP requests made directly with reqwest are the baseline.
CLIENT_GROUPS = ["confirm_warm", "confirm_cold"]
if any(median(group, "portone_pg") for group in CLIENT_GROUPS):
    print()
    print("| call | portone-pg client | reqwest by hand | ratio |")
    print("|---|---:|---:|---:|")
    for group in CLIENT_GROUPS:
        ours, theirs = median(group, "portone_pg"), median(group, "raw_reqwest")
        if ours is None or theirs is None:
            continue
        print(f"| {group} | {fmt(ours)} | {fmt(theirs)} | {ours / theirs:.2f}× |")

# The ledger (cargo bench -p portone-pg-benches --bench ledger): the same SQL
# statements written by hand with sqlx, on the same database and pool, are
# the baseline.
STORES = [store for store in ["sqlite", "postgres"] if median(f"settle_{store}", "ledger")]
if STORES:
    print()
    print("| store | settle: ledger | sqlx by hand | ratio | settles/s, 1 pool | 2 pools | 4 pools | 64 on one order: p50 / p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for store in STORES:
        ours, theirs = median(f"settle_{store}", "ledger"), median(f"settle_{store}", "hand_written_sqlx")
        rates = []
        for pools in [1, 2, 4]:
            batch = median(f"throughput_{store}", f"{pools}_pools")
            rates.append("n/a" if batch is None else f"{64 / (batch / 1e9):.0f}")
        contention = ROOT / f"ledger-contention-{store}.txt"
        tail = "n/a"
        if contention.exists():
            text = contention.read_text()
            tail = text.split("p50 ")[1].split(" over")[0].replace(", p99 ", " / ")
        print(f"| {store} | {fmt(ours)} | {fmt(theirs)} | {ours / theirs:.2f}× | " + " | ".join(rates) + f" | {tail} |")
