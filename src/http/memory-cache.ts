import { ByteLru } from '../store/byte-lru'

/** A response as the caches keep it: its headers and its whole body. */
export interface StoredResponse {
  headers: Record<string, string>
  body: Uint8Array
}

/**
 * The innermost cache layer: rendered responses kept in this isolate's memory, least recently
 * used first out, within a byte budget. Keys include the content version, so entries of an old
 * version are never read again and age out. Beside them, the last good response of each URL
 * (for stale-if-error), within a budget of its own: half the first.
 */
export class MemoryCache {
  readonly #entries: ByteLru<StoredResponse>
  readonly #latest: ByteLru<{ body: Uint8Array; entry: StoredResponse; until: number }>

  constructor(budgetBytes: number) {
    this.#entries = new ByteLru(budgetBytes)
    this.#latest = new ByteLru(budgetBytes / 2)
  }

  get(key: string): StoredResponse | undefined {
    return this.#entries.get(key)
  }

  set(key: string, entry: StoredResponse): void {
    this.#entries.set(key, entry)
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  /** Remembers the last good representation of a URL, usable until `until` (ms). */
  remember(url: string, entry: StoredResponse, until: number): void {
    this.#latest.set(url, { body: entry.body, entry, until })
  }

  /** The last good representation of a URL, if it is still usable at `now` (ms). */
  recall(url: string, now: number): StoredResponse | undefined {
    const remembered = this.#latest.get(url)
    return remembered && remembered.until >= now ? remembered.entry : undefined
  }

  /** Bytes held: the responses, and the last good ones (which may share bodies with them). */
  get bytes(): { entries: number; latest: number } {
    return { entries: this.#entries.bytes, latest: this.#latest.bytes }
  }
}
