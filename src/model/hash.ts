// Two 32-bit lanes with different multipliers (FNV-1a's prime and MurmurHash3's), each
// finished with Murmur's avalanche: 64 bits, fast in any JavaScript runtime, the same in the
// build and in the Worker. Identity of content, not a defence against an adversary.
function lane(text: string, seed: number, multiplier: number): number {
  let hash = seed
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), multiplier)
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  return (hash ^ (hash >>> 16)) >>> 0
}

/** A 64-bit hash of `text` as 13 base-36 characters or fewer. */
export function hash64(text: string): string {
  const high = lane(text, 0x811c9dc5, 0x01000193)
  const low = lane(text, 0x050c5d1f, 0xcc9e2d51)
  return high.toString(36) + low.toString(36).padStart(7, '0')
}
