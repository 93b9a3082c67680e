import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkOutgoingUrl } from '../../src/federation/address'
import { deliver } from '../../src/federation/delivery'
import { receiveActivity } from '../../src/federation/inbox'
import { pemOf, RSA_SHA256 } from '../../src/federation/keys'
import type { SqlDatabase } from '../../src/store/d1'
import { contractCatalog } from '../helpers/catalog'

// What WHATWG URL parsing makes of the spellings a hostile actor might use (hand-checked
// against the URL Standard's IPv4 parser: decimal, octal, hex and short forms all become dotted
// decimal; IPv4-mapped IPv6 is serialised in hex).
describe('URL parsing of hostile hosts', () => {
  it.each([
    ['https://2130706433/', '127.0.0.1'],
    ['https://017700000001/', '127.0.0.1'],
    ['https://0x7f.1/', '127.0.0.1'],
    ['https://127.1/', '127.0.0.1'],
    ['https://0/', '0.0.0.0'],
    ['https://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
  ])('parses %s as host %s', (url, host) => {
    expect(new URL(url).hostname).toBe(host)
  })
})

describe('checkOutgoingUrl', () => {
  it.each([
    'https://127.0.0.1/inbox',
    'https://[::1]/inbox',
    'https://10.1.2.3/inbox',
    'https://192.168.0.10/inbox',
    'https://172.16.5.4/inbox',
    'https://100.64.0.1/inbox',
    'https://169.254.169.254/latest/meta-data',
    'https://[fe80::1]/inbox',
    'https://[fd12:3456::1]/inbox',
    'https://[::ffff:127.0.0.1]/inbox',
    'https://[::ffff:10.0.0.1]/inbox',
    'https://[::]/inbox',
    'https://[::127.0.0.1]/inbox',
    'https://[::a00:1]/inbox',
    'https://0.0.0.0/inbox',
    'https://2130706433/inbox',
    'https://017700000001/inbox',
    'https://0x7f.1/inbox',
    'https://255.255.255.255/inbox',
    'https://224.0.0.1/inbox',
    'https://localhost/inbox',
    'https://LOCALHOST./inbox',
    'https://api.localhost/inbox',
    'https://printer.local/inbox',
    'https://metadata.google.internal/inbox',
    'https://router.home.arpa/inbox',
  ])('refuses %s outside development', (url) => {
    expect(checkOutgoingUrl(new URL(url), false)).toMatch(/address|private name/)
  })

  it.each(['http://mastodon.social/inbox', 'http://8.8.8.8/inbox', 'ftp://mastodon.social/inbox'])(
    'refuses %s, not https, outside development',
    (url) => {
      expect(checkOutgoingUrl(new URL(url), false)).toMatch(/not an https URL/)
    },
  )

  it.each([
    'https://mastodon.social/inbox',
    'https://8.8.8.8/inbox',
    'https://[2001:4860:4860::8888]/inbox',
    'https://local.example/inbox',
  ])('allows %s', (url) => {
    expect(checkOutgoingUrl(new URL(url), false)).toBeUndefined()
  })

  it('allows http to 127.0.0.1 in development, and nothing but http(s)', () => {
    expect(checkOutgoingUrl(new URL('http://127.0.0.1:8080/inbox'), true)).toBeUndefined()
    expect(checkOutgoingUrl(new URL('file:///etc/passwd'), true)).toMatch(/not an http/)
  })
})

// A database that fails the test if anything reaches it.
const untouchable = new Proxy({} as SqlDatabase, {
  get(_, name) {
    throw new Error(`the database was used (${String(name)})`)
  },
})

// A database holding the site actor's key (signed GETs need it) and failing on any other use.
async function keysOnly(): Promise<SqlDatabase> {
  const pair = (await crypto.subtle.generateKey(
    { ...RSA_SHA256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const row = {
    public_key_pem: pemOf((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer),
    private_key_jwk: JSON.stringify(await crypto.subtle.exportKey('jwk', pair.privateKey)),
  }
  const statement = (query: string) => ({
    bind: () => statement(query),
    first: async () => {
      if (!query.includes('FROM actor_keys')) throw new Error(`the database was used: ${query}`)
      return row
    },
  })
  return { prepare: statement } as unknown as SqlDatabase
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('deliver to a private inbox', () => {
  it('gives the message up without a request or a D1 statement', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const message = {
      activityId: 'https://news.test/ap/activities/1',
      handle: 'site',
      origin: 'https://news.test',
      inbox: 'https://[::ffff:127.0.0.1]/inbox',
      body: '{}',
    }
    expect(await deliver(untouchable, message, 1, { now: 0, development: false })).toBe('failed')
    expect(fetch).not.toHaveBeenCalled()
  })
})

describe('a Follow whose actor names a private inbox', () => {
  it.each([
    ['https://10.0.0.8/inbox', undefined],
    ['https://peer-a.test/users/x/inbox', 'https://169.254.169.254/inbox'],
    ['http://peer-b.test/users/x/inbox', undefined],
  ])(
    'is refused with 400 before anything is stored (inbox %s, shared %s)',
    async (inbox, shared) => {
      const actor = `https://peer-${Math.random().toString(36).slice(2)}.test/users/x`
      vi.stubGlobal('fetch', async () =>
        Response.json({
          id: actor,
          type: 'Person',
          inbox,
          ...(shared ? { endpoints: { sharedInbox: shared } } : {}),
        }),
      )
      const send = vi.fn()
      const answer = await receiveActivity(
        {
          db: await keysOnly(),
          catalog: contractCatalog(),
          origin: 'https://news.test',
          now: 0,
          development: false,
          send,
        },
        {
          id: `${actor}#follow`,
          type: 'Follow',
          actor,
          object: 'https://news.test/ap/actors/site',
        },
        actor,
      )
      expect(answer.status).toBe(400)
      expect(answer.message).toMatch(/^inbox refused: /)
      expect(send).not.toHaveBeenCalled()
    },
  )
})
