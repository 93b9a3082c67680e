const MAX_REMEMBERED = 2048

/** A response as the caches keep it: its headers and its whole body. */
export interface StoredResponse {
  headers: Record<string, string>
  body: Uint8Array
}

/**
 * The innermost cache layer: rendered responses kept in this isolate's memory, least recently
 * used first out, within a byte budget. Keys include the content version, so entries of an old
 * version are never read again and age out.
 */
export class MemoryCache {
  readonly #entries = new Map<string, StoredResponse>()
  readonly #latest = new Map<string, { entry: StoredResponse; until: number }>()
  readonly #budget: number
  #bytes = 0

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes
  }

  get(key: string): StoredResponse | undefined {
    const entry = this.#entries.get(key)
    if (entry) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, entry)
    }
    return entry
  }

  set(key: string, entry: StoredResponse): void {
    // One response may not take more than an eighth of the budget.
    if (entry.body.byteLength > this.#budget / 8) return
    this.delete(key)
    this.#entries.set(key, entry)
    this.#bytes += entry.body.byteLength
    for (const [oldest, value] of this.#entries) {
      if (this.#bytes <= this.#budget) break
      this.#entries.delete(oldest)
      this.#bytes -= value.body.byteLength
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#bytes -= entry.body.byteLength
  }

  /** Remembers the last good representation of a URL, usable until `until` (ms). */
  remember(url: string, entry: StoredResponse, until: number): void {
    this.#latest.delete(url)
    this.#latest.set(url, { entry, until })
    // A bounded count of URLs; the bodies are shared with the entries above.
    for (const oldest of this.#latest.keys()) {
      if (this.#latest.size <= MAX_REMEMBERED) break
      this.#latest.delete(oldest)
    }
  }

  /** The last good representation of a URL, if it is still usable at `now` (ms). */
  recall(url: string, now: number): StoredResponse | undefined {
    const remembered = this.#latest.get(url)
    return remembered && remembered.until >= now ? remembered.entry : undefined
  }

  get size(): number {
    return this.#entries.size
  }
}
