#!/usr/bin/env sh
# `npm run start:d1 [-- --root DIR]`: the service on wrangler's local D1 (no account needed):
# the catalog built (no article rendered twice), migrations, content/ (or DIR's) imported, and
# local secrets in .dev.vars.d1 (created once, never committed).
set -e
npm run build -- --catalog-only "$@"
sh scripts/dev-vars.sh .dev.vars.d1 --env d1
npm run import -- "$@"
exec sh scripts/wrangler.sh dev --env d1 --ip 127.0.0.1 --port "${PORT:-8787}" --test-scheduled
