import { ByteLru } from './byte-lru'

/**
 * Article records read from outside the heap, kept within a byte budget (least recently used
 * out). A record read by several requests at once is read once: the newest articles are in
 * every feed, so the renders after a publish all want the same few. Records are named by their
 * content, so a kept one never goes stale.
 */
export class RecordCache {
  readonly #read: (name: string) => Promise<Uint8Array>
  readonly #kept: ByteLru<{ body: Uint8Array }>
  readonly #reading = new Map<string, Promise<Uint8Array>>()

  constructor(read: (name: string) => Promise<Uint8Array>, budgetBytes: number) {
    this.#read = read
    this.#kept = new ByteLru(budgetBytes, budgetBytes / 4)
  }

  /** The bytes of the record called `name`. */
  get(name: string): Promise<Uint8Array> {
    const kept = this.#kept.get(name)
    if (kept) return Promise.resolve(kept.body)
    let reading = this.#reading.get(name)
    if (!reading) {
      reading = this.#read(name).finally(() => this.#reading.delete(name))
      reading.then(
        (body) => this.#kept.set(name, { body }),
        () => undefined,
      )
      this.#reading.set(name, reading)
    }
    return reading
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#kept.bytes
  }
}
