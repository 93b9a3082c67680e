/** A response as the caches keep it: its headers and its whole body. */
export interface StoredResponse {
  headers: Record<string, string>
  body: Uint8Array
}

/** Values by key, least recently used first out, within a byte budget. */
class ByteLru<T extends { body: Uint8Array }> {
  readonly #entries = new Map<string, T>()
  readonly #budget: number
  #bytes = 0

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes
  }

  get(key: string): T | undefined {
    const value = this.#entries.get(key)
    if (value) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  set(key: string, value: T): void {
    this.delete(key)
    // One value may not take more than an eighth of the budget.
    if (value.body.byteLength > this.#budget / 8) return
    this.#entries.set(key, value)
    this.#bytes += value.body.byteLength
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.#budget) break
      this.#entries.delete(oldest)
      this.#bytes -= old.body.byteLength
    }
  }

  delete(key: string): void {
    const value = this.#entries.get(key)
    if (!value) return
    this.#entries.delete(key)
    this.#bytes -= value.body.byteLength
  }

  get bytes(): number {
    return this.#bytes
  }
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
