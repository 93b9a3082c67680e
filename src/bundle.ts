import type { Catalog } from './model/feeds'
import { isUrl } from './model/url'
import type { Bindings } from './routes/context'
import type { BundleData } from './store/bundled'
import bundle from './store/generated/content.json'

/** What the build compiled from content/ and feeds/. */
export const data = bundle as unknown as BundleData

/** A hub must be an absolute http(s) URL; anything else is ignored, not served in every head. */
function hubUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || !isUrl(value)) return undefined
  const { protocol } = new URL(value)
  return protocol === 'https:' || protocol === 'http:' ? value : undefined
}

/**
 * The catalog to serve: the build's, with `WEBSUB_HUB` (a Worker variable) in place of
 * site.yaml's hub when set. The suffix goes into the content version, since every feed head
 * names the hub.
 */
export function catalogFor(env: Bindings): { catalog: Catalog; suffix: string } {
  const hub = hubUrl(env.WEBSUB_HUB)
  if (!hub || hub === data.catalog.site.hub) return { catalog: data.catalog, suffix: '' }
  return {
    catalog: { ...data.catalog, site: { ...data.catalog.site, hub } },
    suffix: `-hub-${encodeURIComponent(hub)}`,
  }
}
