#!/usr/bin/env bash
# A whole reception check against the embedded default, as a desk and its card reader do it:
# take a challenge, let the demo card sign its nonce (openssl stands in for the card), send the check.
#   infra/demo/reception-check.sh [yamada|sato|suzuki|tanaka|kobayashi] [consent JSON]
set -euo pipefail

card="${1:-yamada}"
consent="${2:-{\"subsidy\":true,\"vaccination\":true,\"maternalChild\":true\}}"
hub="${PMH_HUB:-http://localhost:5080}"
key="${PMH_KEY:-pmh-demo-clinic-1310123458}"
cards="${PMH_DEMO_CARDS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/services/Pmh.Host/data/demo/cards}"

challenge=$(curl -fsS -X POST "$hub/api/v1/reception/challenges" -H "Authorization: Bearer $key")
id=$(sed -E 's/.*"challengeId":"([^"]+)".*/\1/' <<<"$challenge")
nonce=$(sed -E 's/.*"nonce":"([^"]+)".*/\1/' <<<"$challenge")

# The card's private key never leaves a real card; here the demo key file plays the card.
signature=$(printf %s "$nonce" | base64 -d | openssl dgst -sha256 -sign "$cards/$card.key.pem" | base64 -w0)
certificate=$(openssl x509 -in "$cards/$card.crt.pem" -outform DER | base64 -w0)

curl -sS -X POST "$hub/api/v1/reception/checks" \
  -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
  -d "{\"challengeId\":\"$id\",\"certificate\":\"$certificate\",\"signature\":\"$signature\",\"consent\":$consent,\"serviceDate\":\"$(date +%F)\"}"
echo
