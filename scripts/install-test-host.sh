#!/usr/bin/env bash
# Installs the headless VS Code test host: Debian's chromium and ripgrep, and
# code-server (real VS Code server + web workbench) into its own folder.
# Idempotent: a second run only checks versions and takes a few seconds.
# See test/host/README.md and shared/TEST-HOST.md for the reasons behind each step.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
# code-server 4.100.3 bundles @vscode/ripgrep 1.15.11, whose postinstall looks for this tarball.
RIPGREP_CACHE_NAME="vscode-ripgrep-cache-1.15.11"
RIPGREP_TARBALL="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
HOST_DIR="${BACKLOG_ATLAS_TEST_HOST:-$HOME/.cache/backlog-atlas/test-host}"

started=$(date +%s)
log() { printf '[install-test-host] %s\n' "$*"; }
fail() { printf '[install-test-host] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - started ))s"; }
trap 'rc=$?; [ $rc -ne 0 ] && printf "[install-test-host] FAILED (exit %s) after %s\n" "$rc" "$(elapsed)" >&2' EXIT

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || fail "only Linux x86_64 is supported (got $(uname -s)-$(uname -m))"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || fail "node is not on PATH"
# code-server 4.100.x declares engines.node 20 and its postinstall refuses other majors.
[ "$node_major" = "20" ] || fail "code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)"

# --- 1. Debian packages -------------------------------------------------------
# chromium: the browser Playwright drives; git: the reports read history with it; ripgrep: replaces the rg that
# @vscode/ripgrep would download; libkrb5-dev: gssapi headers for the kerberos
# native module; python3/make/g++: node-gyp builds node-pty, spdlog, argon2, ...
apt_packages=(chromium ripgrep git libkrb5-dev python3 make g++)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "apt: all present (${apt_packages[*]}), skipped"
else
  [ "$(id -u)" = 0 ] || fail "missing Debian packages (${missing[*]}) and not root; install them: apt-get install ${missing[*]}"
  log "apt: installing ${missing[*]}"
  t=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
  log "apt: done in $(( $(date +%s) - t ))s"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after apt"
[ -x /usr/bin/rg ] || fail "/usr/bin/rg missing after apt"

# --- 2. ripgrep cache tarball -------------------------------------------------
# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless
# this tarball is already in os.tmpdir(); Debian's rg 13 is a fine stand-in.
tmp_root=$(node -p 'require("os").tmpdir()')
rg_cache="$tmp_root/$RIPGREP_CACHE_NAME/$RIPGREP_TARBALL"
if [ -s "$rg_cache" ]; then
  log "ripgrep cache: present at $rg_cache"
else
  stage=$(mktemp -d)
  cp /usr/bin/rg "$stage/rg"
  mkdir -p "$(dirname "$rg_cache")"
  tar -czf "$rg_cache" -C "$stage" rg
  rm -rf "$stage"
  log "ripgrep cache: created $rg_cache from /usr/bin/rg"
fi

# --- 3. code-server -----------------------------------------------------------
pkg_json="$HOST_DIR/node_modules/code-server/package.json"
entry="$HOST_DIR/node_modules/code-server/out/node/entry.js"
vscode_dir="$HOST_DIR/node_modules/code-server/lib/vscode"
installed_version=""
[ -f "$pkg_json" ] && installed_version=$(node -p "require('$pkg_json').version" 2>/dev/null || true)

# Files that only exist when code-server's postinstall (and the nested installs
# it runs in lib/vscode) really ran: a version match alone is not enough.
postinstall_outputs=(
  "$vscode_dir/node_modules.asar"
  "$vscode_dir/node_modules/node-pty/build/Release/pty.node"
  "$vscode_dir/node_modules/@vscode/ripgrep/bin/rg"
  "$vscode_dir/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  "$vscode_dir/extensions/node_modules/typescript"
)
postinstall_ok() {
  local f
  for f in "${postinstall_outputs[@]}"; do
    [ -e "$f" ] || { echo "$f"; return 1; }
  done
}

if [ "$installed_version" = "$CODE_SERVER_VERSION" ] && postinstall_ok >/dev/null; then
  log "code-server: $CODE_SERVER_VERSION already installed in $HOST_DIR, skipped"
else
  if [ -n "$installed_version" ]; then
    log "code-server: found '$installed_version' (or an incomplete install), reinstalling $CODE_SERVER_VERSION"
  else
    log "code-server: installing $CODE_SERVER_VERSION into $HOST_DIR"
  fi
  rm -rf "$HOST_DIR/node_modules" "$HOST_DIR/package-lock.json"
  mkdir -p "$HOST_DIR"
  # allowScripts approves the two install scripts at this level (npm >= 11.x
  # warns about, or with strict-allow-scripts refuses, unapproved ones).
  cat >"$HOST_DIR/package.json" <<EOF
{
  "name": "backlog-atlas-test-host",
  "private": true,
  "description": "code-server for Backlog Atlas integration/UI tests; made by scripts/install-test-host.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2@0.31.2": true }
}
EOF
  t=$(date +%s)
  install_log="$HOST_DIR/npm-install.log"
  # npm_config_unsafe_perm: code-server's postinstall.sh refuses root without it
  #   (it reads this variable; npm 11 itself no longer knows the option).
  # npm_config_yes: node-pty's build may call npx, and ~/.npmrc here says yes=false.
  # npm_config_strict_allow_scripts=false: the postinstall runs nested
  #   `npm install`s in lib/vscode whose native modules (node-pty, spdlog,
  #   kerberos, @parcel/watcher, ...) must build; we cannot add allowScripts
  #   there, and npm rejects --allow-scripts for project installs.
  # npm_config_nodedir: build native modules against the local Node headers
  #   instead of downloading them (no internet).
  nodedir_env=()
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then
    nodedir_env=(npm_config_nodedir=/usr)
  fi
  if ! (cd "$HOST_DIR" && env npm_config_unsafe_perm=true npm_config_yes=true \
        npm_config_strict_allow_scripts=false npm_config_fund=false npm_config_audit=false \
        npm_config_update_notifier=false "${nodedir_env[@]}" \
        npm install --foreground-scripts >"$install_log" 2>&1 </dev/null); then
    tail -n 40 "$install_log" >&2
    fail "npm install code-server@$CODE_SERVER_VERSION failed (full log: $install_log)"
  fi
  if ! missing_file=$(postinstall_ok); then
    tail -n 40 "$install_log" >&2
    fail "code-server's postinstall did not complete: $missing_file is missing (log: $install_log). If npm blocked install scripts, retry with npm_config_dangerously_allow_all_scripts=true"
  fi
  log "code-server: installed in $(( $(date +%s) - t ))s (log: $install_log)"
fi

# --- 4. smoke check -----------------------------------------------------------
# --config /dev/null: otherwise code-server writes ~/.config/code-server/config.yaml.
version_line=$(node "$entry" --config /dev/null --version 2>/dev/null | tail -n 1) || fail "code-server does not start: node $entry --version failed"
case "$version_line" in
  "$CODE_SERVER_VERSION"*) ;;
  *) fail "unexpected code-server version: '$version_line'" ;;
esac
log "code-server --version: $version_line"
log "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
log "test host ready in $HOST_DIR (entry: $entry); total $(elapsed)"
