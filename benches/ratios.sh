#!/usr/bin/env bash
# portone-pg's parses against their baselines in two measurements that a
# noisy machine does not spoil, one table row per parse and baseline:
#
# - instructions per parse, counted by valgrind's callgrind (the difference
#   between COUNT parses and one run of none, so start-up is not counted):
#   the same for the same binary and input whatever the machine is doing,
#   but not time;
# - time, from `repeat`'s paired rounds (ROUNDS batches of each, alternated):
#   the median of the per-round ratios, with its quartiles.
#
#   bash benches/ratios.sh [GROUP...]      (default: every group of benches/cases.rs)
#
# Needs valgrind (Debian: `apt-get install valgrind`). COUNT (default 2000)
# and ROUNDS (default 400) can be set in the environment. Ratios are
# portone-pg's over the baseline's, as in the criterion table.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "benches/ratios.sh needs valgrind" >&2; exit 1; }
count="${COUNT:-2000}"
rounds="${ROUNDS:-400}"
bin="$(cargo bench -p portone-pg-benches --bench repeat --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "repeat" and m.get("executable"):
        print(m["executable"])')"
[ -x "$bin" ] || { echo "could not build the repeat bench" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Instructions of one run of `repeat GROUP NAME N`.
instructions() {
    valgrind --tool=callgrind --callgrind-out-file="$work/out" "$bin" "$1" "$2" "$3" 2>/dev/null
    sed -n 's/^totals: *//p' "$work/out"
}

# Start-up alone (no parse), the same for every parse of the binary.
none="$(instructions "$("$bin" --list | head -n1 | cut -d' ' -f1)" portone_pg 0)"

# Instructions per parse of GROUP NAME.
per_parse() {
    echo $(( ($(instructions "$1" "$2" "$count") - none) / count ))
}

groups=("$@")
[ "${#groups[@]}" -gt 0 ] || mapfile -t groups < <("$bin" --list | cut -d' ' -f1 | uniq)

echo "| input | baseline | instructions: portone-pg | baseline | ratio | time ratio, paired (quartiles) |"
echo "|---|---|---:|---:|---:|---:|"
for group in "${groups[@]}"; do
    names="$("$bin" --list | awk -v g="$group" '$1 == g { print $2 }')"
    [ -n "$names" ] || { echo "no group $group in benches/cases.rs" >&2; exit 1; }
    for name in $names; do
        # A baseline read in place is compared with portone-pg read in place
        # (and that, with portone-pg's result moved: the move's cost).
        case "$name" in
            portone_pg) continue ;;
            portone_pg_in_place) own=portone_pg ;;
            *_in_place) own=portone_pg_in_place ;;
            *) own=portone_pg ;;
        esac
        ours="$(per_parse "$group" "$own")"
        theirs="$(per_parse "$group" "$name")"
        read -r _ ratio _ q1 _ q3 _ < <("$bin" "$group" "$own" "$name" "$rounds")
        python3 -c "import sys; o, t = int(sys.argv[3]), int(sys.argv[4])
print(f'| {sys.argv[1]} | {sys.argv[2]} | {o:,} | {t:,} | {o / t:.2f}× | {float(sys.argv[5]):.2f}× ({float(sys.argv[6]):.2f}–{float(sys.argv[7]):.2f}) |')" \
            "$group" "$name" "$ours" "$theirs" "$ratio" "$q1" "$q3"
    done
done
