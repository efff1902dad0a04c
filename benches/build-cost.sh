#!/usr/bin/env bash
# What portone-pg costs in a user's own build: two small crates doing the
# README's flow (callback dispatch, success view, REST object, verify), one
# with portone-pg, one with hand-written serde structs, built cold and after
# touching main.rs, debug and release, in interleaved rounds. Prints each
# median and the difference portone-pg makes.
#   bash benches/build-cost.sh [ROUNDS]     (default 3)
# Another pair of crates under benches/build-cost, measured the same way:
#   bash benches/build-cost.sh 3 with-client with-portone-pg
# (what the client feature adds), or
#   bash benches/build-cost.sh 3 with-ledger with-client
# (what the ledger adds, with SQLite, to a crate already using the client), or
#   bash benches/build-cost.sh 3 with-client-ring with-client
# (the client on rustls with ring instead of aws-lc-rs).
set -euo pipefail
cd "$(dirname "$0")/build-cost"
rounds=${1:-3}
crates=("${2:-with-portone-pg}" "${3:-hand-written}")
out=$(mktemp -d)

# seconds CMD...: "wall cpu" seconds of CMD (cpu = user + system of all its
# processes: on a 2-core machine a cold build's wall time follows its CPU).
seconds() {
  local TIMEFORMAT='%R %U %S' times
  times=$( { time "$@" > /dev/null 2>&1; } 2>&1 )
  echo "$times" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

for round in $(seq "$rounds"); do
  for crate in "${crates[@]}"; do
    target="$PWD/../../target/build-cost/$crate"
    for profile in debug release; do
      flag=""; [ "$profile" = release ] && flag="--release"
      rm -rf "$target"
      # Dependencies are fetched first so that no download is timed.
      (cd "$crate" && cargo fetch -q)
      cold=$(cd "$crate" && CARGO_TARGET_DIR="$target" seconds cargo build $flag)
      touch "$crate/src/main.rs"
      rebuild=$(cd "$crate" && CARGO_TARGET_DIR="$target" seconds cargo build $flag)
      echo "${cold% *}" >> "$out/$crate-$profile-cold"
      echo "${cold#* }" >> "$out/$crate-$profile-cold-cpu"
      echo "${rebuild% *}" >> "$out/$crate-$profile-rebuild"
    done
  done
done

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-36s %15s %15s %10s\n' "build of the user's crate" "${crates[0]}" "${crates[1]}" "difference"
for profile in release debug; do
  for kind in rebuild cold; do
    ours=$(median "$out/${crates[0]}-$profile-$kind")
    theirs=$(median "$out/${crates[1]}-$profile-$kind")
    label="$profile, $([ $kind = cold ] && echo cold || echo 'after touching main.rs')"
    printf '%-36s %14.2fs %14.2fs %+9.2fs\n' "$label" "$ours" "$theirs" "$(echo "$ours - $theirs" | bc)"
  done
done
for profile in release debug; do
  ours=$(median "$out/${crates[0]}-$profile-cold-cpu")
  theirs=$(median "$out/${crates[1]}-$profile-cold-cpu")
  printf '%-36s %14.2fs %14.2fs %+9.2fs\n' "$profile, cold: CPU (user + system)" "$ours" "$theirs" "$(echo "$ours - $theirs" | bc)"
done
echo "(medians of $rounds interleaved rounds)"
