#!/usr/bin/env bash
# Compile-time measurements: the facade crate alone, rebuilt
# after touching one file, with its dependencies already built. Each number
# is the best of N runs (default 3).
#   bash benches/compile-time.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
pgs=$(( $(ls schemas/pg/*.toml | wc -l) + $(ls schemas/certification/pg/*.toml | wc -l) ))

# best FILE CARGO-ARGS...: best wall time of `touch FILE; cargo build ARGS`.
best() {
  local file=$1 best= start t
  shift
  cargo build -q "$@"
  for _ in $(seq "$runs"); do
    touch "$file"
    start=$(date +%s.%N)
    cargo build -q "$@"
    t=$(echo "$(date +%s.%N) - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%.2f' "$best"
}

release=$(best src/lib.rs -p portone-pg --lib --release)
schema_release=$(best schemas/pg/kcp.toml -p portone-pg --lib --release)
schema_debug=$(best schemas/pg/kcp.toml -p portone-pg --lib)
example=$(best examples/inspect/main.rs --example inspect --release)

echo "PG schemas (payment + certification):           $pgs"
echo "facade, release, after touching src/lib.rs:     $release s ($(echo "scale=3; $release / $pgs" | bc) s per PG)"
echo "facade, release, after touching schemas/pg/kcp: $schema_release s"
echo "facade, debug, after touching schemas/pg/kcp:   $schema_debug s"
echo "inspect example (uses the API), release:        $example s"
