# shellcheck shell=bash
# Helpers shared by infra/rabbitmq.sh and infra/postgres.sh (sourced, not run).

# Minimal environments may lack the sbin dirs on PATH: runuser and the
# rabbitmq tools live there.
export PATH="$PATH:/usr/sbin:/usr/bin:/sbin:/bin"

# Root of all throwaway server state; /tmp so nothing lands in the repo.
PMH_INFRA_DIR="${PMH_INFRA_DIR:-/tmp/pmh-infra}"
# Absolute, since the scripts change directory.
[[ $PMH_INFRA_DIR == /* ]] || PMH_INFRA_DIR="$PWD/$PMH_INFRA_DIR"

# The servers run as their own users (rabbitmq, postgres), which must be able
# to traverse the root folder whatever the caller's umask.
ensure_infra_dir() {
  mkdir -p "$PMH_INFRA_DIR"
  chmod a+rx "$PMH_INFRA_DIR"
}

log() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when apt knows an installable candidate for the package.
apt_has_candidate() {
  apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# apt_install PKG...
# Installs Debian packages without letting their maintainer scripts start the
# packaged default service: there is no systemd here and we run our own
# private instances instead. policy-rc.d exiting 101 makes invoke-rc.d refuse.
apt_install() {
  local pkg need_update=0
  for pkg in "$@"; do
    apt_has_candidate "$pkg" || need_update=1
  done
  # Fresh machines ship with empty package lists; only update when needed.
  if ((need_update)); then
    apt-get update -qq
  fi

  local policy=/usr/sbin/policy-rc.d created=0 rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary (pmh infra): block service starts during apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created=1
    # Don't leave it behind if we are interrupted mid-install.
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # Lock timeout: another apt/dpkg run (a colleague's) may hold the lock.
  local install=(apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "$@")
  if ! DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null; then
    # Stale package lists point at files the mirror no longer has: refresh once.
    if ((need_update)); then
      rc=1
    else
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null || rc=$?
    fi
  fi
  if ((created)); then
    rm -f "$policy"
    trap - EXIT
  fi
  return "$rc"
}

# tcp_open HOST PORT: true when something accepts TCP connections there.
tcp_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c ': >"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}
