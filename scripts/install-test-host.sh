#!/usr/bin/env bash
# Installs the headless VS Code test host: Debian's chromium and ripgrep, and
# code-server (real VS Code server + web workbench) into its own folder.
# Idempotent: a second run only checks versions and takes a few seconds.
# Safe to run twice at once: the code-server step holds a lock ($HOST_DIR.lock),
# so a second run waits and then finds the finished install; code-server is
# installed into $HOST_DIR.staging and renamed into place only once complete.
# See test/host/README.md and shared/TEST-HOST.md for the reasons behind each step.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
# code-server 4.100.3 bundles @vscode/ripgrep 1.15.11, whose postinstall looks for this tarball.
RIPGREP_CACHE_NAME="vscode-ripgrep-cache-1.15.11"
RIPGREP_TARBALL="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
HOST_DIR="${BACKLOG_ATLAS_TEST_HOST:-$HOME/.cache/backlog-atlas/test-host}"
# Absolute and without a trailing slash: the lock, staging and failed-log paths are its siblings.
case "$HOST_DIR" in /*) ;; *) HOST_DIR="$PWD/$HOST_DIR" ;; esac
while [ "$HOST_DIR" != / ] && [ "${HOST_DIR%/}" != "$HOST_DIR" ]; do HOST_DIR="${HOST_DIR%/}"; done
LOCK_FILE="$HOST_DIR.lock"
STAGING_DIR="$HOST_DIR.staging"   # a fresh install is built here, then renamed to $HOST_DIR
OLD_DIR="$HOST_DIR.old"           # the replaced install, between the two renames
FAILED_LOG="$HOST_DIR.install-failed.log"
LOCK_WAIT_SECONDS="${BACKLOG_ATLAS_TEST_HOST_LOCK_WAIT:-900}"

started=$(date +%s)
log() { printf '[install-test-host] %s\n' "$*"; }
fail() { printf '[install-test-host] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - started ))s"; }
tmp_paths=()   # removed on exit, whatever the outcome
on_exit() {
  local rc=$? p
  for p in "${tmp_paths[@]}"; do rm -rf -- "$p"; done
  # An if, not `&&`: under set -e a trap function ending non-zero would turn success into exit 1.
  if [ "$rc" -ne 0 ]; then printf "[install-test-host] FAILED (exit %s) after %s\n" "$rc" "$(elapsed)" >&2; fi
}
trap on_exit EXIT

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || fail "only Linux x86_64 is supported (got $(uname -s)-$(uname -m))"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || fail "node is not on PATH"
# code-server 4.100.x declares engines.node 20 and its postinstall refuses other majors.
[ "$node_major" = "20" ] || fail "code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)"

# --- 1. Debian packages -------------------------------------------------------
# chromium: the browser Playwright drives; git: the reports read history with it; ripgrep: replaces the rg that
# @vscode/ripgrep would download; libkrb5-dev: gssapi headers for the kerberos
# native module; python3/make/g++: node-gyp builds node-pty, spdlog, argon2, ...;
# faketime: npm run test:unit:clock runs the unit tests a year ahead and a year back
apt_packages=(chromium ripgrep git libkrb5-dev python3 make g++ faketime)
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
  # Lock::Timeout: wait for a concurrent apt/dpkg run (e.g. another install) instead of failing at once.
  apt-get update -qq -o DPkg::Lock::Timeout=300 || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
  log "apt: done in $(( $(date +%s) - t ))s"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after apt"
[ -x /usr/bin/rg ] || fail "/usr/bin/rg missing after apt"

# --- 2. ripgrep cache tarball -------------------------------------------------
# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless
# this tarball is already in os.tmpdir(); Debian's rg 13 is a fine stand-in.
tmp_root=$(node -p 'require("os").tmpdir()')
rg_cache="$tmp_root/$RIPGREP_CACHE_NAME/$RIPGREP_TARBALL"
if [ -s "$rg_cache" ] && tar -tzf "$rg_cache" rg >/dev/null 2>&1; then
  log "ripgrep cache: present at $rg_cache"
else
  # Built under a temporary name in the same folder, then renamed: a run that
  # starts meanwhile never sees a half-written tarball, and two runs at once
  # each rename a complete one into place.
  mkdir -p "$(dirname "$rg_cache")" || fail "cannot create $(dirname "$rg_cache")"
  rg_stage=$(mktemp -d) && tmp_paths+=("$rg_stage")
  rg_tmp=$(mktemp "$rg_cache.tmp.XXXXXX") && tmp_paths+=("$rg_tmp")
  cp /usr/bin/rg "$rg_stage/rg"
  tar -czf "$rg_tmp" -C "$rg_stage" rg || fail "could not write the ripgrep cache tarball $rg_tmp"
  chmod 644 "$rg_tmp"
  mv -f "$rg_tmp" "$rg_cache" || fail "could not move $rg_tmp to $rg_cache"
  log "ripgrep cache: created $rg_cache from /usr/bin/rg"
fi

# --- 3. code-server -----------------------------------------------------------
# Everything from here on runs under an exclusive lock on $LOCK_FILE, so two runs
# (two `npm start`, or `npm start` during `npm test`) never install into the same
# folder at once: the second one waits, then finds the finished install and skips.
# The lock is held by fd 9 (inherited by npm and its children) and released when
# they exit, also on a crash or kill -9; the lock file itself is never removed.
command -v flock >/dev/null || fail "flock not found (Debian package util-linux); it keeps concurrent installs apart"
mkdir -p "$(dirname "$HOST_DIR")" || fail "cannot create $(dirname "$HOST_DIR")"
exec 9<>"$LOCK_FILE" || fail "cannot open the lock file $LOCK_FILE"
if ! flock -n 9; then
  holder=$(cat "$LOCK_FILE" 2>/dev/null || true)
  log "waiting for another install of the test host (pid ${holder:-unknown}) to finish, at most ${LOCK_WAIT_SECONDS}s (lock: $LOCK_FILE; its npm log while it installs: $STAGING_DIR/npm-install.log)"
  t=$(date +%s)
  flock -w "$LOCK_WAIT_SECONDS" 9 \
    || fail "gave up after ${LOCK_WAIT_SECONDS}s waiting for the lock $LOCK_FILE, held by pid ${holder:-unknown} or a process it started (see: ps -fp ${holder:-PID}; fuser -v $LOCK_FILE). Wait for it to finish, or stop it and rerun; BACKLOG_ATLAS_TEST_HOST_LOCK_WAIT sets the wait in seconds"
  log "lock acquired after $(( $(date +%s) - t ))s"
fi
echo "$$" >"$LOCK_FILE"

# Left behind by a run that was killed mid-install or mid-swap: never trusted, removed.
for leftover in "$STAGING_DIR" "$OLD_DIR"; do
  if [ -e "$leftover" ] || [ -L "$leftover" ]; then
    log "removing $leftover, left behind by an interrupted install"
    rm -rf -- "$leftover" || fail "cannot remove $leftover; remove it by hand and rerun"
  fi
done

pkg_json="$HOST_DIR/node_modules/code-server/package.json"
entry="$HOST_DIR/node_modules/code-server/out/node/entry.js"
installed_version=""
[ -f "$pkg_json" ] && installed_version=$(node -p "require('$pkg_json').version" 2>/dev/null || true)

# Files that only exist when code-server's postinstall (and the nested installs
# it runs in lib/vscode) really ran: a version match alone is not enough.
# $1: the folder holding node_modules (the host, or the staging folder).
postinstall_ok() {
  local vscode_dir="$1/node_modules/code-server/lib/vscode" f
  for f in \
    "$vscode_dir/node_modules.asar" \
    "$vscode_dir/node_modules/node-pty/build/Release/pty.node" \
    "$vscode_dir/node_modules/@vscode/ripgrep/bin/rg" \
    "$vscode_dir/node_modules/@vscode/spdlog/build/Release/spdlog.node" \
    "$vscode_dir/extensions/node_modules/typescript"; do
    [ -e "$f" ] || { echo "$f"; return 1; }
  done
}

# What this script puts in $HOST_DIR; it replaces the folder only if nothing else is there.
host_dir_foreign_entries() {
  find "$HOST_DIR" -mindepth 1 -maxdepth 1 \
    ! -name node_modules ! -name package.json ! -name package-lock.json ! -name npm-install.log \
    -printf '%f ' 2>/dev/null
}

if [ "$installed_version" = "$CODE_SERVER_VERSION" ] && postinstall_ok "$HOST_DIR" >/dev/null; then
  log "code-server: $CODE_SERVER_VERSION already installed in $HOST_DIR, skipped"
else
  if [ -e "$HOST_DIR" ] || [ -L "$HOST_DIR" ]; then
    [ -d "$HOST_DIR" ] || fail "$HOST_DIR exists but is not a folder; remove it or point BACKLOG_ATLAS_TEST_HOST elsewhere"
    foreign=$(host_dir_foreign_entries || true)
    [ -z "$foreign" ] || fail "$HOST_DIR needs a reinstall but holds files this script did not make (${foreign% }); it replaces the whole folder, so move them away or point BACKLOG_ATLAS_TEST_HOST at an empty or new folder"
  fi
  if [ -n "$installed_version" ]; then
    log "code-server: found '$installed_version' (or an incomplete install) in $HOST_DIR, reinstalling $CODE_SERVER_VERSION"
  else
    log "code-server: installing $CODE_SERVER_VERSION into $HOST_DIR (via $STAGING_DIR)"
  fi
  mkdir -p "$STAGING_DIR" || fail "cannot create $STAGING_DIR"
  # allowScripts approves the two install scripts at this level (npm >= 11.x
  # warns about, or with strict-allow-scripts refuses, unapproved ones).
  cat >"$STAGING_DIR/package.json" <<EOF
{
  "name": "backlog-atlas-test-host",
  "private": true,
  "description": "code-server for Backlog Atlas integration/UI tests; made by scripts/install-test-host.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2@0.31.2": true }
}
EOF
  t=$(date +%s)
  install_log="$STAGING_DIR/npm-install.log"
  # A failed install keeps only its log (at $FAILED_LOG) and leaves $HOST_DIR as it was.
  install_failed() {
    mv -f "$install_log" "$FAILED_LOG" 2>/dev/null || true
    rm -rf -- "$STAGING_DIR"
    tail -n 40 "$FAILED_LOG" >&2 2>/dev/null || true
    fail "$1 (full log: $FAILED_LOG). $HOST_DIR was left as it was. $2"
  }
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
  if ! (cd "$STAGING_DIR" && env npm_config_unsafe_perm=true npm_config_yes=true \
        npm_config_strict_allow_scripts=false npm_config_fund=false npm_config_audit=false \
        npm_config_update_notifier=false "${nodedir_env[@]}" \
        npm install --foreground-scripts >"$install_log" 2>&1 </dev/null); then
    install_failed "npm install code-server@$CODE_SERVER_VERSION failed after $(( $(date +%s) - t ))s" \
      "Look for the first 'npm error' or 'gyp ERR!' in the log (often: the npm registry is unreachable, a native module cannot build, or the disk is full), fix it and rerun: bash scripts/install-test-host.sh"
  fi
  if ! missing_file=$(postinstall_ok "$STAGING_DIR"); then
    install_failed "code-server's postinstall did not complete: ${missing_file#"$STAGING_DIR/"} is missing" \
      "If npm blocked install scripts, rerun with npm_config_dangerously_allow_all_scripts=true bash scripts/install-test-host.sh"
  fi
  # Swap the complete install into place: two renames on one filesystem. A kill
  # between them leaves no $HOST_DIR, so the next run simply installs again.
  if [ -e "$HOST_DIR" ]; then
    mv -T "$HOST_DIR" "$OLD_DIR" || install_failed "could not move the old install $HOST_DIR aside to $OLD_DIR" "Check the permissions of $(dirname "$HOST_DIR") and rerun"
  fi
  mv -T "$STAGING_DIR" "$HOST_DIR" || fail "could not rename $STAGING_DIR to $HOST_DIR; check the permissions of $(dirname "$HOST_DIR") and rerun"
  rm -rf -- "$OLD_DIR" "$FAILED_LOG"
  log "code-server: installed in $(( $(date +%s) - t ))s (log: $HOST_DIR/npm-install.log)"
fi

# --- 3b. webview fix ----------------------------------------------------------
# Every run, also on a host installed before this step existed: VS Code 1.101's fix for webviews
# that stay blank for up to 30 s after another one closed (see the script for the why).
node "$(dirname "$0")/patch-webview-host.mjs" "$HOST_DIR" || fail "could not patch the webview host in $HOST_DIR"

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
