#!/usr/bin/env sh
# `sh scripts/dev-vars.sh FILE [--env ENV]`: the local secrets wrangler dev reads (.dev.vars,
# .dev.vars.d1), created once and never committed: API_TOKEN (the publish API and the
# statistics sign-in) and STATS_SECRET (the key of the daily client hash); then the statistics
# tables applied to the local STATS database.
set -e
file="$1"
shift
random() { node -e "console.log(crypto.randomUUID())"; }
if ! grep -q '^API_TOKEN=' "$file" 2>/dev/null; then
  printf 'API_TOKEN=%s\n' "$(random)" >> "$file"
  echo "created API_TOKEN in $file: it publishes (Authorization: Bearer …) and signs in to /stats/"
fi
if ! grep -q '^STATS_SECRET=' "$file" 2>/dev/null; then
  printf 'STATS_SECRET=%s\n' "$(random)" >> "$file"
fi
echo "statistics: http://127.0.0.1:${PORT:-8787}/stats/ (sign in with the API_TOKEN in $file)"
CI=1 sh scripts/wrangler.sh d1 migrations apply newswire-stats --local "$@" > /dev/null
CI=1 sh scripts/wrangler.sh d1 migrations apply newswire-federation --local "$@" > /dev/null
