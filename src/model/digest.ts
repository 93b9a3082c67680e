import type { Catalog } from './feeds'
import { hash64 } from './hash'

const digests = new WeakMap<object, WeakMap<object, string>>()

/**
 * A digest of what a representation prints beside its items (the site and the feed's or
 * page's own fields), remembered per pair of objects: catalogs are built once and reused.
 */
export function digestOf(site: object, value: object): string {
  let bySite = digests.get(site)
  if (!bySite) {
    bySite = new WeakMap()
    digests.set(site, bySite)
  }
  let digest = bySite.get(value)
  if (digest === undefined) {
    digest = hash64(`${JSON.stringify(site)}\n${JSON.stringify(value)}`)
    bySite.set(value, digest)
  }
  return digest
}

/** The digest of a whole catalog: every feed a list of feeds names. */
export function catalogDigest(catalog: Catalog): string {
  return digestOf(catalog.site, catalog)
}
