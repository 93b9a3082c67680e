#!/usr/bin/env sh
# `npm run start:d1 [-- --root DIR]`: the service on wrangler's local D1 (no account needed):
# the catalog built (no article rendered twice), migrations, content/ (or DIR's) imported, and
# a local publish token in .dev.vars.d1 (created once, never committed).
set -e
if [ ! -f .dev.vars.d1 ]; then
  token=$(node -e "console.log(crypto.randomUUID())")
  printf 'API_TOKEN=%s\n' "$token" > .dev.vars.d1
  echo "created .dev.vars.d1; publish with: Authorization: Bearer $token"
fi
npm run build -- --catalog-only "$@"
npm run import -- "$@"
exec sh scripts/wrangler.sh dev --env d1 --ip 127.0.0.1 --port "${PORT:-8787}" --test-scheduled
