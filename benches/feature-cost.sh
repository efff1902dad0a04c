#!/usr/bin/env bash
# What each optional feature adds to a cold debug build of portone-pg:
# `cargo build -p portone-pg --features F` in a fresh target directory,
# against the same build without features, ROUNDS interleaved rounds
# (default 1), medians of wall-clock seconds (/usr/bin/time).
#
#   bash benches/feature-cost.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
features=(none client axum actix-web rust_decimal chrono time jiff schemars)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo fetch --quiet
for round in $(seq "$rounds"); do
    for feature in "${features[@]}"; do
        args=()
        [ "$feature" = none ] || args=(--features "$feature")
        target="$work/target-$feature"
        rm -rf "$target"
        /usr/bin/time -f "%e" -o "$work/time" \
            env CARGO_TARGET_DIR="$target" cargo build --quiet -p portone-pg "${args[@]}"
        echo "$feature $(cat "$work/time")" >> "$work/times"
        rm -rf "$target"
    done
done
python3 - "$work/times" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    feature, seconds = line.split()
    times.setdefault(feature, []).append(float(seconds))
base = statistics.median(times["none"])
print(f"| feature | cold debug build | added |")
print(f"|---|---:|---:|")
for feature, runs in times.items():
    median = statistics.median(runs)
    added = "" if feature == "none" else f"+{median - base:.1f} s"
    print(f"| {feature} | {median:.1f} s | {added} |")
PY
