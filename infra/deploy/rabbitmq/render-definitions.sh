#!/usr/bin/env bash
# Renders definitions.template.json with the password hashes of PMH_HUB_PASSWORD, PMH_MONITOR_PASSWORD and
# PMH_ADMIN_PASSWORD (RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4 random
# bytes of salt) to standard output. The result holds secrets: put it in a Secret (Kubernetes) or a file outside the
# repository (compose), never in git.
#   PMH_HUB_PASSWORD=… PMH_MONITOR_PASSWORD=… PMH_ADMIN_PASSWORD=… infra/deploy/rabbitmq/render-definitions.sh > definitions.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

hash_password() {
  local salt
  salt=$(openssl rand -hex 4)
  { printf %s "$salt" | xxd -r -p; { printf %s "$salt" | xxd -r -p; printf %s "$1"; } | openssl dgst -sha256 -binary; } | base64 -w0
}

: "${PMH_HUB_PASSWORD:?set PMH_HUB_PASSWORD}" "${PMH_MONITOR_PASSWORD:?set PMH_MONITOR_PASSWORD}" "${PMH_ADMIN_PASSWORD:?set PMH_ADMIN_PASSWORD}"
hub=$(hash_password "$PMH_HUB_PASSWORD")
monitor=$(hash_password "$PMH_MONITOR_PASSWORD")
admin=$(hash_password "$PMH_ADMIN_PASSWORD")
sed -e "s|\${PMH_HUB_PASSWORD_HASH}|$hub|" -e "s|\${PMH_MONITOR_PASSWORD_HASH}|$monitor|" -e "s|\${PMH_ADMIN_PASSWORD_HASH}|$admin|" \
  "$here/definitions.template.json"
