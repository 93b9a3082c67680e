import { describe, expect, it } from 'vitest'
import { MemoryCache, type StoredResponse } from '../../src/http/memory-cache'

const response = (bytes: number): StoredResponse => ({
  headers: {},
  body: new Uint8Array(bytes),
})

describe('MemoryCache', () => {
  it('evicts the least recently used responses to stay within its budget', () => {
    const cache = new MemoryCache(8000)
    cache.set('a', response(1000))
    cache.set('b', response(1000))
    for (let i = 0; i < 6; i++) cache.set(`x${i}`, response(1000))
    expect(cache.bytes.entries).toBe(8000)
    cache.get('a') // now the most recently used: 'b' goes first
    cache.set('c', response(1000))
    expect(cache.get('a')).toBeDefined()
    expect(cache.get('b')).toBeUndefined()
    expect(cache.bytes.entries).toBe(8000)
  })

  it('refuses a response over an eighth of the budget, and drops the one it replaced', () => {
    const cache = new MemoryCache(8000)
    cache.set('a', response(500))
    cache.set('a', response(1001))
    expect(cache.get('a')).toBeUndefined()
    expect(cache.bytes.entries).toBe(0)
  })

  it('bounds the last good responses by bytes too, whatever the number of URLs', () => {
    const cache = new MemoryCache(80_000)
    for (let i = 0; i < 5000; i++) cache.remember(`/u${i}`, response(2000), 10)
    expect(cache.bytes.latest).toBeLessThanOrEqual(40_000)
    expect(cache.recall('/u4999', 5)).toBeDefined()
    expect(cache.recall('/u0', 5)).toBeUndefined()
    expect(cache.recall('/u4999', 11)).toBeUndefined()
  })
})
