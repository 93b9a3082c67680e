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

  get size(): number {
    return this.#entries.size
  }
}
