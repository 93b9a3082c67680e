#!/usr/bin/env sh
# Runs wrangler offline and without touching the home folder: no metrics, no banner, no
# Cloudflare API calls, its config kept under .wrangler/ in the project.
export WRANGLER_SEND_METRICS=false
export WRANGLER_HIDE_BANNER=true
export CLOUDFLARE_CF_FETCH_ENABLED=false
export XDG_CONFIG_HOME="$PWD/.wrangler/config"
exec npx --no-install wrangler "$@"
