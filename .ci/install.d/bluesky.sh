#!/usr/bin/env bash
# The Bluesky channel's end-to-end test runs a real local AT Protocol network: PLC directory,
# PDS and AppView from npm's @atproto/dev-env, with PostgreSQL and Redis from Debian for the
# AppView (notifications need it). Installs only what is missing; safe to run twice.
#
# The npm packages go to a cache directory outside the repository, which the test finds the
# same way: ${LOKET_PEERS_DIR:-$HOME/.cache/loket-peers}/bluesky
set -euo pipefail

# The newest dev-env release that still runs on Node 20 (later ones need Node >= 22).
DEV_ENV_VERSION="0.3.215"
target="${LOKET_PEERS_DIR:-$HOME/.cache/loket-peers}/bluesky"

need_packages=()
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_packages+=(postgresql)
command -v node >/dev/null 2>&1 || need_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || need_packages+=(npm)
# better-sqlite3 is compiled from source (its prebuilt download needs the internet).
for tool in g++ make; do
  command -v "$tool" >/dev/null 2>&1 || need_packages+=(build-essential)
done
command -v python3 >/dev/null 2>&1 || need_packages+=(python3)
if [ ${#need_packages[@]} -gt 0 ]; then
  # build-essential may have been added twice.
  mapfile -t need_packages < <(printf '%s\n' "${need_packages[@]}" | sort -u)
  echo "bluesky: installing ${need_packages[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  # Other install scripts may hold the dpkg lock: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${need_packages[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "bluesky: Node $(node --version) is too old; @atproto/dev-env@$DEV_ENV_VERSION needs >= 18.7" >&2
  exit 1
fi

installed() {
  [ -f "$target/node_modules/@atproto/dev-env/package.json" ] \
    && [ "$(node -p "require('$target/node_modules/@atproto/dev-env/package.json').version")" = "$DEV_ENV_VERSION" ] \
    && compgen -G "$target/node_modules/better-sqlite3/build/Release/better_sqlite3.node" >/dev/null \
    && (cd "$target" && node -e "require('@atproto/dev-env'); new (require('better-sqlite3'))(':memory:')")
}

if installed; then
  echo "bluesky: @atproto/dev-env@$DEV_ENV_VERSION already in $target"
  exit 0
fi

# Build next to the target and move it in place only when complete, so that an interrupted
# install is never taken for a finished one.
partial="$target.partial"
rm -rf "$partial"
mkdir -p "$partial"
cd "$partial"
npm init -y >/dev/null
echo "bluesky: npm install @atproto/dev-env@$DEV_ENV_VERSION (about 1.5 min)"
npm install --no-audit --no-fund --loglevel=error "@atproto/dev-env@$DEV_ENV_VERSION"
echo "bluesky: compiling better-sqlite3 (about 1 min)"
if ! npm rebuild better-sqlite3 --foreground-scripts --loglevel=error >rebuild.log 2>&1; then
  cat rebuild.log >&2
  exit 1
fi
rm rebuild.log
node -e "require('@atproto/dev-env'); new (require('better-sqlite3'))(':memory:')"
rm -rf "$target"
mv "$partial" "$target"
echo "bluesky: @atproto/dev-env@$DEV_ENV_VERSION installed in $target"
