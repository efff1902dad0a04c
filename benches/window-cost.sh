#!/usr/bin/env bash
# What the fake's payment window and its browser driver cost: cold debug
# builds of portone-pg-fake without its default `window` feature, with it
# (the default), and with `browser`, each in a fresh target directory, then
# the browser tests' run time once built (headless Chromium must be
# installed: Debian's `chromium`). ROUNDS interleaved rounds (default 1),
# medians of wall-clock seconds (/usr/bin/time).
#
#   bash benches/window-cost.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo fetch --quiet
for round in $(seq "$rounds"); do
    for variant in none window browser; do
        case "$variant" in
            none) args=(--no-default-features) ;;
            window) args=() ;;
            browser) args=(--features browser) ;;
        esac
        target="$work/target-$variant"
        rm -rf "$target"
        /usr/bin/time -f "%e" -o "$work/time" \
            env CARGO_TARGET_DIR="$target" cargo build --quiet -p portone-pg-fake "${args[@]}"
        echo "build-$variant $(cat "$work/time")" >> "$work/times"
        if [ "$variant" = browser ]; then
            env CARGO_TARGET_DIR="$target" cargo test --quiet -p portone-pg-fake --features browser --test window --no-run
            /usr/bin/time -f "%e" -o "$work/time" \
                env CARGO_TARGET_DIR="$target" cargo test --quiet -p portone-pg-fake --features browser --test window
            echo "tests $(cat "$work/time")" >> "$work/times"
        fi
        rm -rf "$target"
    done
done
python3 - "$work/times" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    what, seconds = line.split()
    times.setdefault(what, []).append(float(seconds))
m = {k: statistics.median(v) for k, v in times.items()}
print("| cold debug build of portone-pg-fake | seconds | added |")
print("|---|---:|---:|")
print(f"| without the window (`--no-default-features`) | {m['build-none']:.1f} | |")
print(f"| with the window (default) | {m['build-window']:.1f} | +{m['build-window'] - m['build-none']:.1f} s |")
print(f"| with the browser driver (`--features browser`) | {m['build-browser']:.1f} | +{m['build-browser'] - m['build-window']:.1f} s over the window |")
print(f"\nThe browser tests (`--test window`), built: {m['tests']:.1f} s")
PY
