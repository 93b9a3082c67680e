#!/usr/bin/env sh
# `npm start`: the feeds of content/ on the bundled store, in workerd on 127.0.0.1, with the
# statistics on (a local STATS database and secrets in .dev.vars, created once).
set -e
npm run build
sh scripts/dev-vars.sh .dev.vars
exec sh scripts/wrangler.sh dev --ip 127.0.0.1 --port "${PORT:-8787}" --test-scheduled
