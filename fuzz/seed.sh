#!/usr/bin/env bash
# Seeds each target's corpus with the bundled fixtures (the corpora are not
# committed; the fixtures are).
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../tests/fixtures
mkdir -p corpus/{payment_from_json,payment_from_json_with_pg,redirect_from_query,webhook_from_body,rest_payment,client_reply}
for f in "$fixtures"/callbacks/*.json "$fixtures"/certification/*.json; do
  [ "$(basename "$f")" = manifest.json ] && continue
  cp "$f" corpus/payment_from_json/
  # First byte: the hint index (see checks.rs).
  for pick in 0 4 10; do
    { printf "\\x$(printf %02x $pick)"; cat "$f"; } > "corpus/payment_from_json_with_pg/$pick-$(basename "$f")"
  done
done
for f in "$fixtures"/redirects/*.query "$fixtures"/redirects/*.url; do
  cp "$f" corpus/redirect_from_query/
done
for f in "$fixtures"/webhooks/*; do
  case "$f" in
    *.json) pick=0 ;;
    *.form) pick=1 ;;
    *) continue ;;
  esac
  { printf "\\x$(printf %02x $pick)"; cat "$f"; } > "corpus/webhook_from_body/$(basename "$f")"
done
cp "$fixtures"/rest/*.json corpus/rest_payment/
# First two bytes: the HTTP status (see checks.rs): 200, then 401.
for f in "$fixtures"/rest/*.json; do
  { printf '\x00\x64'; cat "$f"; } > "corpus/client_reply/200-$(basename "$f")"
  { printf '\x01\x2d'; cat "$f"; } > "corpus/client_reply/401-$(basename "$f")"
done
echo "seeded: $(find corpus -type f | wc -l) files"
