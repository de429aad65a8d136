#!/usr/bin/env bash
# Validates the deployment files as far as this machine can: the Kubernetes manifests against the API schemas
# (npm: kubernetes-models, js-yaml, installed into a temporary folder) and the compose file with
# `docker-compose config` (Debian: docker-compose) when it is installed. Needs node and npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/validate.mjs" "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund kubernetes-models@5.1.0 js-yaml@4 >/dev/null)
node "$work/validate.mjs" "$here/kubernetes"
if command -v docker-compose >/dev/null; then
  PMH_RABBITMQ_PASSWORD=x PMH_HUB_SECRET=x PMH_DB_PASSWORD=x PMH_ERLANG_COOKIE=x docker-compose -f "$here/compose.yaml" config -q
  echo "compose.yaml valid (docker-compose config)"
else
  echo "compose.yaml not checked: docker-compose is not installed (apt-get install docker-compose)"
fi
