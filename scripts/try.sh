#!/usr/bin/env bash
# Installs, builds and opens examples/ with the extension running: in desktop VS Code when the `code`
# CLI is installed, otherwise in the browser VS Code (code-server) that the tests use.
#
#   bash scripts/try.sh            # browser VS Code on http://127.0.0.1:8080 (PORT=9000 to change)
#
# It keeps running until Ctrl+C. Everything it writes stays in this clone (.vscode-test/try/) or in
# npm's cache: code-server's config, user data and extensions folder included.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
port=${PORT:-8080}

say() { printf '[try] %s\n' "$*"; }
fail() { printf '[try] ERROR: %s\n' "$*" >&2; exit 1; }

# Checked first, so a busy port costs seconds rather than an install and a build.
check_port() {
  node -e '
    const port = Number(process.argv[1]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) { console.error(`PORT=${process.argv[1]} is not a port number`); process.exit(2); }
    const server = require("net").createServer();
    server.once("error", (e) => { console.error(e.code === "EADDRINUSE" ? `port ${port} is already in use` : e.message); process.exit(1); });
    server.listen(port, "127.0.0.1", () => server.close(() => process.exit(0)));
  ' "$1"
}
if ! command -v code >/dev/null 2>&1; then
  check_port "$port" || fail "cannot serve on 127.0.0.1:$port: run with another port, e.g. PORT=9000 bash scripts/try.sh"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)
[ "$node_major" = 20 ] || fail "Node 20 is needed (found: $node_major); see .nvmrc"

say "installing dependencies and building (about a minute the first time)"
[ -d node_modules ] || npm ci
npm run build

if command -v code >/dev/null 2>&1; then
  exec code --extensionDevelopmentPath="$root" "$root/examples"
fi

say "installing the browser VS Code (code-server) and Chromium's packages (a few minutes the first time)"
bash scripts/install-code-server.sh
bin="$root/.vscode-test/code-server/node_modules/.bin/code-server"
state="$root/.vscode-test/try"
mkdir -p "$state/extensions" "$state/user-data/User"
# code-server loads extensions from its extensions folder; a link to this checkout is the extension.
ln -sfn "$root" "$state/extensions/prodready.prodready-0.0.0-dev"
# Open straight on the examples: no walkthrough, no "repository in parent folders" prompt, no trust
# dialog, and the Readiness view in front.
cat > "$state/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "prodready.revealReadinessView": true
}
JSON
# code-server would otherwise create ~/.config/code-server/config.yaml (with a password) in $HOME.
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" > "$state/config.yaml"

echo
say "Prod Readiness is starting in the browser VS Code. Open:"
say "  http://127.0.0.1:$port/?folder=$root/examples"
say "It keeps running here; Ctrl+C stops it. Run other commands in a second terminal."
# Its own data, logs and caches stay in the clone too.
export XDG_DATA_HOME="$state/xdg-data" XDG_CONFIG_HOME="$state/xdg-config" XDG_CACHE_HOME="$state/xdg-cache"
exec "$bin" --config "$state/config.yaml" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" "$root/examples"
