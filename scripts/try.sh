#!/usr/bin/env bash
# Installs, builds and opens examples/ with the extension running: in desktop VS Code when the `code`
# CLI is installed, otherwise in the browser VS Code (code-server) that the tests use.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

[ -d node_modules ] || npm ci
npm run build

if command -v code >/dev/null 2>&1; then
  exec code --extensionDevelopmentPath="$root" "$root/examples"
fi

bash scripts/install-code-server.sh
bin="$root/.vscode-test/code-server/node_modules/.bin/code-server"
state="$root/.vscode-test/try"
mkdir -p "$state/extensions" "$state/user-data"
# code-server loads extensions from its extensions folder; a link to this checkout is the extension.
ln -sfn "$root" "$state/extensions/prodready.prodready-0.0.0-dev"
port=${PORT:-8080}
echo
echo "Prod Readiness is starting in the browser VS Code:"
echo "  http://127.0.0.1:$port/?folder=$root/examples"
echo "(Ctrl+C stops it.)"
exec "$bin" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" "$root/examples"
