/**
 * Who a poll came from, as far as counting needs and no further: a keyed hash of the address
 * and the reader, under a key that changes every day. The key is derived from a Worker
 * secret and the date (HMAC-SHA-256), so every isolate computes the same one and none writes
 * it anywhere; once the day is over, nothing can link a register back to an address, or one
 * day's clients to the next's. Only 64 bits of the hash are used: in memory, in a HyperLogLog
 * register, and beside a subscriber report (so that one client counts once) until its day
 * closes.
 */
const encoder = new TextEncoder()
const keys = new Map<string, Promise<CryptoKey>>()

async function hmacKey(raw: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
}

/** The key of `day` (YYYY-MM-DD), derived from `secret`; kept for the day, in memory only. */
function dayKey(secret: string, day: string): Promise<CryptoKey> {
  const name = `${day}\n${secret}`
  let key = keys.get(name)
  if (!key) {
    key = hmacKey(encoder.encode(secret)).then(async (root) =>
      hmacKey(await crypto.subtle.sign('HMAC', root, encoder.encode(`newswire clients ${day}`))),
    )
    // Yesterday's key goes: a day's clients stay that day's.
    for (const old of keys.keys()) if (!old.startsWith(`${day}\n`)) keys.delete(old)
    keys.set(name, key)
  }
  return key
}

/** 64 bits of the day's keyed hash of a client: its address and its reader's name. */
export async function clientHash(
  secret: string,
  day: string,
  address: string,
  reader: string,
): Promise<Uint8Array> {
  const key = await dayKey(secret, day)
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${address}\n${reader}`))
  return new Uint8Array(mac, 0, 8)
}
