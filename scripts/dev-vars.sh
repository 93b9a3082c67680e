#!/usr/bin/env sh
# `sh scripts/dev-vars.sh FILE [--env ENV]`: the local secrets wrangler dev reads (.dev.vars,
# .dev.vars.d1), created once and never committed: API_TOKEN (the publish API), STATS_TOKEN
# (the statistics dashboard and /api/stats, read-only) and STATS_SECRET (the key of the daily
# client hash), each 43 random characters (the Worker refuses tokens under 32); then the
# statistics tables applied to the local STATS database.
set -e
file="$1"
shift
random() { node -e "console.log(crypto.randomBytes(32).toString('base64url'))"; }
# A token from an older run that the Worker would now refuse is replaced.
for name in API_TOKEN STATS_TOKEN; do
  value=$(sed -n "s/^$name=//p" "$file" 2>/dev/null | head -n 1)
  if [ -n "$value" ] && [ "${#value}" -lt 32 ]; then
    sed -i "/^$name=/d" "$file"
    echo "replaced $name in $file: it was shorter than 32 characters"
  fi
done
if ! grep -q '^API_TOKEN=' "$file" 2>/dev/null; then
  printf 'API_TOKEN=%s\n' "$(random)" >> "$file"
  echo "created API_TOKEN in $file: it publishes (Authorization: Bearer …)"
fi
if ! grep -q '^STATS_TOKEN=' "$file" 2>/dev/null; then
  printf 'STATS_TOKEN=%s\n' "$(random)" >> "$file"
  echo "created STATS_TOKEN in $file: it signs in to /stats/ and reads /api/stats"
fi
if ! grep -q '^STATS_SECRET=' "$file" 2>/dev/null; then
  printf 'STATS_SECRET=%s\n' "$(random)" >> "$file"
fi
echo "statistics: http://127.0.0.1:${PORT:-8787}/stats/ (sign in with the STATS_TOKEN in $file)"
CI=1 sh scripts/wrangler.sh d1 migrations apply newswire-stats --local "$@" > /dev/null
CI=1 sh scripts/wrangler.sh d1 migrations apply newswire-federation --local "$@" > /dev/null
