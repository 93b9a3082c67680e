import type { Catalog } from './model/feeds'
import { isUrl } from './model/url'
import type { Bindings } from './routes/context'

/** A hub must be an absolute http(s) URL; anything else is ignored, not served in every head. */
function hubUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || !isUrl(value)) return undefined
  const { protocol } = new URL(value)
  return protocol === 'https:' || protocol === 'http:' ? value : undefined
}

/**
 * The catalog to serve: the build's, with `WEBSUB_HUB` (a Worker variable) in place of
 * site.yaml's hub when set. Every head names the hub, so the site (and with it every head's
 * digest) differs; `key` tells the catalogs apart.
 */
export function catalogFor(base: Catalog, env: Bindings): { catalog: Catalog; key: string } {
  const hub = hubUrl(env.WEBSUB_HUB)
  if (!hub || hub === base.site.hub) return { catalog: base, key: '' }
  return { catalog: { ...base, site: { ...base.site, hub } }, key: hub }
}
