#!/usr/bin/env bash
# The contributors' loop: the README's test command
# (`cargo test --workspace --all-features`) from an empty target directory,
# dependencies already fetched. Each REV (a commit; `.` for the working
# tree, the default) is checked out into a temporary worktree; with two or
# more, the rounds interleave them. Prints the median wall-clock and CPU
# (user + system) seconds of each, and each one's ratio to the last REV.
#
#   bash benches/test-time.sh [ROUNDS [REV...]]     (default: 1 .)
#   bash benches/test-time.sh 1 HEAD 738bd9e^       (HEAD against an older commit)
#
# The ledger's Postgres tests run when PORTONE_LEDGER_POSTGRES_URL is set,
# the payment window's browser tests when Debian's `chromium` is installed;
# otherwise they print SKIPPED and take no time.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
shift || true
revs=("$@")
[ "${#revs[@]}" -gt 0 ] || revs=(.)
work="$(mktemp -d)"
cleanup() {
    for dir in "$work"/tree-*; do
        [ -d "$dir" ] && git worktree remove --force "$dir"
    done
    rm -rf "$work"
}
trap cleanup EXIT

trees=()
for i in "${!revs[@]}"; do
    if [ "${revs[$i]}" = . ]; then
        trees+=("$PWD")
    else
        git worktree add --quiet --detach "$work/tree-$i" "${revs[$i]}"
        trees+=("$work/tree-$i")
    fi
    (cd "${trees[$i]}" && cargo fetch --quiet)
done

for round in $(seq "$rounds"); do
    for i in "${!revs[@]}"; do
        target="$work/target"
        rm -rf "$target"
        (cd "${trees[$i]}" && /usr/bin/time -f "%e %U %S" -o "$work/time" \
            env CARGO_TARGET_DIR="$target" cargo test --workspace --all-features > "$work/log" 2>&1) ||
            { tail -20 "$work/log" >&2; exit 1; }
        echo "$i $(cat "$work/time")" >> "$work/times"
        rm -rf "$target"
    done
done

python3 - "$work/times" "${revs[@]}" <<'PY'
import statistics, sys
times, revs = sys.argv[1], sys.argv[2:]
wall, cpu = {}, {}
for line in open(times):
    i, e, u, s = line.split()
    wall.setdefault(int(i), []).append(float(e))
    cpu.setdefault(int(i), []).append(float(u) + float(s))
last = len(revs) - 1
print("| tree | wall | CPU (user + system) | wall ratio |")
print("|---|---:|---:|---:|")
for i, rev in enumerate(revs):
    w, c = statistics.median(wall[i]), statistics.median(cpu[i])
    ratio = w / statistics.median(wall[last])
    print(f"| {rev} | {w:.1f} s | {c:.1f} s | {ratio:.2f}× |")
PY
