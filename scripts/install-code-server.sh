#!/usr/bin/env bash
# Installs what `npm run test:vscode` needs to run the extension's tests in a real VS Code on a machine
# that cannot download VS Code itself: code-server (the npm package ships a complete VS Code 1.100
# workbench + Node extension host) and Debian's Chromium. See test/vscode/README.md.
#
# Idempotent: a second run only checks what is there and returns within a second or two.
# Works as root (CI containers) or as a user with sudo; needs no stdin.
set -euo pipefail

# code-server 4.100.x is the newest release whose postinstall accepts Node 20 (4.103+ needs Node 22).
CODE_SERVER_VERSION=4.100.3
# VS Code 1.100's @vscode/ripgrep downloads rg from GitHub at install time; we feed it Debian's rg.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET_VERSION=v13.0.0-10

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
install_dir="$repo_root/.vscode-test/code-server"
package_dir="$install_dir/node_modules/code-server"
bin="$install_dir/node_modules/.bin/code-server"
marker="$install_dir/.installed-version"
log="$install_dir/install.log"

say() { printf '[install-code-server] %s\n' "$*"; }
fail() { printf '[install-code-server] ERROR: %s\n' "$*" >&2; exit 1; }

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "not root and no sudo: cannot install Debian packages"
  sudo_cmd=(sudo -n)
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "code-server $CODE_SERVER_VERSION requires Node 20, found $(node --version)"

# --- Debian packages --------------------------------------------------------------------------------
# chromium: the browser that renders the workbench. libkrb5-dev, g++, make, python3: the native modules
# VS Code's server builds during code-server's postinstall (kerberos, node-pty, spdlog, ...).
# ripgrep: see the cache trick below.
apt_packages=(chromium libkrb5-dev ripgrep g++ make python3)
missing=()
for pkg in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after installing the chromium package"

# --- code-server ------------------------------------------------------------------------------------
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$CODE_SERVER_VERSION" ] && [ -x "$bin" ] \
   && [ -e "$package_dir/lib/vscode/node_modules.asar" ]; then
  say "code-server $CODE_SERVER_VERSION already installed in ${install_dir#"$repo_root"/}"
  exit 0
fi

# @vscode/ripgrep's postinstall first looks for its release asset in a cache folder under os.tmpdir()
# and only downloads from GitHub (unreachable here) when it is absent. A tarball holding Debian's rg
# under the expected asset name satisfies it. Computed with node so TMPDIR is honoured the same way.
rg_target=$(node -p '({ x64: "x86_64-unknown-linux-musl", arm64: "aarch64-unknown-linux-musl" })[process.arch] || ""')
[ -n "$rg_target" ] || fail "unsupported CPU architecture for the ripgrep cache: $(node -p process.arch)"
rg_cache_dir="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
rg_asset="$rg_cache_dir/ripgrep-$RIPGREP_ASSET_VERSION-$rg_target.tar.gz"
if [ ! -s "$rg_asset" ]; then
  rg_stage=$(mktemp -d)
  cp "$(command -v rg)" "$rg_stage/rg"
  mkdir -p "$rg_cache_dir"
  tar -czf "$rg_asset" -C "$rg_stage" rg
  rm -rf "$rg_stage"
fi

# node-gyp downloads Node's headers from nodejs.org unless told where they are; Debian/NodeSource
# packages ship them under <prefix>/include/node, so point it there when they match this Node.
node_prefix=$(node -p 'require("path").resolve(process.execPath, "../..")')
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node_version.h" ]; then
  headers_version=$(sed -n 's/^#define NODE_\(MAJOR\|MINOR\|PATCH\)_VERSION \([0-9]*\)$/\2/p' \
    "$node_prefix/include/node/node_version.h" | paste -sd.)
  if [ "v$headers_version" = "$(node --version)" ]; then
    export npm_config_nodedir="$node_prefix"
  fi
fi

mkdir -p "$install_dir"
rm -f "$marker"
# Start clean: npm would not re-run the postinstall of a package it already extracted last time.
rm -rf "$install_dir/node_modules"
# A package.json of its own keeps code-server (about 200 packages) out of the project's dependency
# tree. allowScripts approves the two install scripts npm 11 would otherwise flag as unreviewed:
# code-server's postinstall (which runs `npm install` for VS Code's own modules) and argon2's build.
cat > "$install_dir/package.json" <<JSON
{
  "name": "prodready-code-server",
  "private": true,
  "description": "code-server for prodready's VS Code tests; written by scripts/install-code-server.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON

say "installing code-server $CODE_SERVER_VERSION into ${install_dir#"$repo_root"/} (about a minute; log: ${log#"$repo_root"/})"
# npm_config_yes: a nested `npx node-gyp` would otherwise wait for a prompt (and hang in CI).
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
# --foreground-scripts: the postinstall's output lands in the log, so a failure can be diagnosed.
if ! (cd "$install_dir" && npm_config_yes=true npm_config_unsafe_perm=true \
      npm install --no-audit --no-fund --foreground-scripts >"$log" 2>&1); then
  tail -n 60 "$log" >&2
  fail "npm install of code-server failed (full log: $log)"
fi

# The postinstall runs `npm install` inside lib/vscode, whose own package.json approves nothing, so
# npm 11.19 lists kerberos, node-pty, spdlog, ... as unreviewed; it still runs them, with a warning.
# (npm_config_allow_scripts cannot approve them: npm rejects it in project installs, EALLOWSCRIPTS.)
# A stricter npm would skip them silently, so check what they produce instead of trusting the exit
# code: VS Code's server modules, its native addons, and rg.
vscode_dir="$package_dir/lib/vscode"
postinstall_outputs=(
  "$vscode_dir/node_modules.asar"
  "$vscode_dir/node_modules/node-pty/build/Release/pty.node"
  "$vscode_dir/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  "$vscode_dir/node_modules/@vscode/ripgrep/bin/rg"
  "$vscode_dir/extensions/node_modules"
)
absent=()
for f in "${postinstall_outputs[@]}"; do [ -e "$f" ] || absent+=("${f#"$package_dir"/}"); done
if [ ${#absent[@]} -gt 0 ]; then
  tail -n 60 "$log" >&2
  fail "code-server's postinstall did not complete; missing: ${absent[*]} (full log: $log)"
fi

# Prove it starts and serves HTTP before declaring success.
say "checking that code-server starts"
check_dir=$(mktemp -d)
trap 'rm -rf "$check_dir"' EXIT
printf 'auth: none\n' > "$check_dir/config.yaml"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Private XDG/TMP folders: code-server would otherwise leave a heartbeat file and logs under ~.
# PORT is dropped: code-server lets it override --bind-addr, and scripts/try.sh sets it.
env -u PORT TMPDIR="$check_dir" XDG_DATA_HOME="$check_dir" XDG_CONFIG_HOME="$check_dir" XDG_CACHE_HOME="$check_dir" \
"$bin" --config "$check_dir/config.yaml" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --user-data-dir "$check_dir/user-data" \
  --extensions-dir "$check_dir/extensions" "$check_dir" >"$check_dir/server.log" 2>&1 &
server_pid=$!
# shellcheck disable=SC2016 # a node program, not shell: its ${} is JavaScript
started=$(node -e '
  const [port, deadline] = [process.argv[1], Date.now() + 90000];
  const probe = () => require("http").get(`http://127.0.0.1:${port}/healthz`, res => {
    res.resume();
    if (res.statusCode === 200) { console.log("yes"); } else { retry(); }
  }).on("error", retry);
  const retry = () => Date.now() < deadline ? setTimeout(probe, 200) : console.log("no");
  probe();' "$port")
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
if [ "$started" != yes ]; then
  cat "$check_dir/server.log" >&2
  fail "code-server did not answer on 127.0.0.1:$port within 90 s"
fi

echo "$CODE_SERVER_VERSION" > "$marker"
say "code-server $CODE_SERVER_VERSION ready in ${install_dir#"$repo_root"/}"
