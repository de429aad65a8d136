#!/usr/bin/env bash
# A citizen reads their own disclosure log with their own card (as マイナポータル does):
# take a challenge, let the demo card sign it (openssl stands in for the card), ask for the log.
#   infra/demo/my-access-log.sh [yamada|sato|suzuki]
set -euo pipefail

card="${1:-yamada}"
hub="${PMH_HUB:-http://localhost:5080}"
cards="${PMH_DEMO_CARDS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/services/Pmh.Host/data/demo/cards}"

challenge=$(curl -fsS -X POST "$hub/api/v1/me/challenges")
id=$(sed -E 's/.*"challengeId":"([^"]+)".*/\1/' <<<"$challenge")
nonce=$(sed -E 's/.*"nonce":"([^"]+)".*/\1/' <<<"$challenge")
signature=$(printf %s "$nonce" | base64 -d | openssl dgst -sha256 -sign "$cards/$card.key.pem" | base64 -w0)
certificate=$(openssl x509 -in "$cards/$card.crt.pem" -outform DER | base64 -w0)

curl -sS -X POST "$hub/api/v1/me/access-log" -H "Content-Type: application/json" \
  -d "{\"challengeId\":\"$id\",\"certificate\":\"$certificate\",\"signature\":\"$signature\"}"
echo
