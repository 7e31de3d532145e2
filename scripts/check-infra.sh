#!/usr/bin/env bash
# Offline type-check of sst.config.ts against SST's real platform types.
# `sst install` normally downloads providers; with the bun binary from npm and
# the dependency check skipped it works without network (~340 MB in .sst/).
set -euo pipefail
cd "$(dirname "$0")/.."
bun_pkg="node_modules/@oven/bun-linux-x64"
if [ ! -x "$bun_pkg/bin/bun" ]; then
  echo "installing @oven/bun-linux-x64 (not saved to package.json) ..."
  npm install --no-save @oven/bun-linux-x64 >/dev/null
fi
export SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1 SST_BUN_PATH="$PWD/$bun_pkg/bin/bun"
npx sst install --stage ci
npx tsc --noEmit -p tsconfig.infra.json
echo "sst.config.ts type-checks against SST's platform types"
