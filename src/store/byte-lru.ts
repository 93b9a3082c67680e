/**
 * Values by key, least recently used first out, within a byte budget; a value larger than
 * `largest` (an eighth of the budget unless said) is not kept at all.
 */
export class ByteLru<T extends { body: Uint8Array }> {
  readonly #entries = new Map<string, T>()
  readonly #budget: number
  readonly #largest: number
  #bytes = 0

  constructor(budgetBytes: number, largest = budgetBytes / 8) {
    this.#budget = budgetBytes
    this.#largest = largest
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
    if (value.body.byteLength > this.#largest) return
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
