import { createHash, generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, request, type Server } from 'node:http'
// PeerTube's fork of Joyent's reference draft-cavage implementation: not newswire's code.
import httpSignature from '@peertube/http-signature'
// An RFC 9421 implementation that is not newswire's either.
import { createSigner, createVerifier, httpbis } from 'http-message-signatures'

/** An activity the peer's inboxes received, and whether PeerTube's library verified it. */
export interface Received {
  path: string
  activity: Record<string, unknown>
  verified: boolean
  /** How it was signed: RFC 9421 (Signature-Input) or draft-cavage. */
  scheme: 'rfc9421' | 'cavage'
}

/** A GET the peer answered, and the keyId whose signature PeerTube's library verified on it. */
export interface Fetched {
  path: string
  signedBy: string | undefined
}

/**
 * A second fediverse server on 127.0.0.1: its people (`/users/alice`, `/users/bob`, any name)
 * each have an inbox, and the server a shared inbox.
 */
export interface Peer {
  origin: string
  actor: string
  received: Received[]
  /** Every GET of an actor, with its verified signer. */
  fetched: Fetched[]
  /** The status the inboxes answer with next (then 202 again): to test retries and pruning. */
  failNext: number[]
  post(
    url: string,
    activity: unknown,
    options?: { sign?: boolean; tamper?: boolean; as?: string; scheme?: 'rfc9421' | 'cavage' },
  ): Promise<{ status: number; text: string }>
  close(): void
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => resolve(body))
  })
}

// RFC 9421 headers for a POST of `body`, signed with http-message-signatures: Content-Digest,
// Signature-Input over @method @target-uri content-digest, and Signature.
async function signWithRfc9421(
  target: URL,
  body: string,
  keyId: string,
  privateKeyPem: string,
): Promise<Record<string, string>> {
  const signed = await httpbis.signMessage(
    {
      key: createSigner(privateKeyPem, 'rsa-v1_5-sha256', keyId),
      fields: ['@method', '@target-uri', 'content-digest'],
      params: ['created', 'keyid', 'alg'],
    },
    {
      method: 'POST',
      url: target.href,
      headers: {
        'content-digest': `sha-256=:${createHash('sha256').update(body).digest('base64')}:`,
      },
    },
  )
  return signed.headers as Record<string, string>
}

// The keyId whose signature on `req` verifies (PeerTube's library, the key fetched from the
// signer's actor), or undefined; `headers` are those the signature must cover.
async function verifiedSigner(
  req: IncomingMessage,
  headers: readonly string[],
): Promise<string | undefined> {
  try {
    const parsed = httpSignature.parseRequest(req, {
      authorizationHeaderName: 'signature',
      clockSkew: 600,
      headers,
    })
    const keyUrl = String(parsed.keyId)
    const pem = await publicKeyOf(keyUrl)
    return pem && httpSignature.verifySignature(parsed, pem) ? keyUrl : undefined
  } catch {
    // A missing or malformed signature: not verified.
    return undefined
  }
}

async function publicKeyOf(keyUrl: string): Promise<string | undefined> {
  const actor = (await (
    await fetch(keyUrl.split('#')[0] as string, {
      headers: { accept: 'application/activity+json' },
    })
  ).json()) as { publicKey: { id: string; publicKeyPem: string } }
  return actor.publicKey.id === keyUrl ? actor.publicKey.publicKeyPem : undefined
}

// RFC 9421, with http-message-signatures: the signature must cover the method, the target and
// a Content-Digest that matches the body.
async function verifyMessage(req: IncomingMessage, body: string, origin: string) {
  const digest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
  if (req.headers['content-digest'] !== digest) return false
  try {
    return (
      (await httpbis.verifyMessage(
        {
          keyLookup: async (params) => {
            const pem = await publicKeyOf(String(params.keyid))
            return pem ? { verify: createVerifier(pem, 'rsa-v1_5-sha256') } : null
          },
          requiredFields: ['@method', '@target-uri', 'content-digest'],
          requiredParams: ['created', 'keyid'],
          tolerance: 600,
        },
        {
          method: req.method ?? 'POST',
          url: new URL(req.url ?? '/', origin).href,
          headers: req.headers as Record<string, string>,
        },
      )) === true
    )
  } catch {
    // A missing or malformed signature: not verified.
    return false
  }
}

async function verify(req: IncomingMessage, body: string, origin: string): Promise<boolean> {
  if (req.headers['signature-input']) return verifyMessage(req, body, origin)
  const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`
  if (req.headers.digest !== digest) return false
  return (await verifiedSigner(req, ['(request-target)', 'host', 'date', 'digest'])) !== undefined
}

/**
 * Starts the peer on a free port of 127.0.0.1. With `authorizedFetch`, it behaves as Mastodon
 * in secure mode (AUTHORIZED_FETCH): a GET of an actor without a valid signature over
 * `(request-target) host date` gets 401. With `refuseRfc9421`, its inboxes answer 401 to an
 * RFC 9421 signature (though its own requests may use one).
 */
export async function startPeer(
  options: { authorizedFetch?: boolean; refuseRfc9421?: boolean } = {},
): Promise<Peer> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const received: Received[] = []
  const fetched: Fetched[] = []
  const failNext: number[] = []
  let origin = ''
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const user = /^\/users\/([a-z]+)$/.exec(req.url ?? '')?.[1]
    if (req.method === 'GET' && user) {
      const signedBy = await verifiedSigner(req, ['(request-target)', 'host', 'date'])
      fetched.push({ path: req.url ?? '', signedBy })
      if (options.authorizedFetch && !signedBy) {
        res.writeHead(401).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/activity+json' })
      res.end(
        JSON.stringify({
          '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
          id: `${origin}/users/${user}`,
          type: 'Person',
          preferredUsername: user,
          inbox: `${origin}/users/${user}/inbox`,
          endpoints: { sharedInbox: `${origin}/inbox` },
          publicKey: {
            id: `${origin}/users/${user}#main-key`,
            owner: `${origin}/users/${user}`,
            publicKeyPem,
          },
        }),
      )
      return
    }
    if (req.method === 'POST') {
      const status = failNext.shift()
      if (status) {
        res.writeHead(status).end()
        return
      }
      const scheme = req.headers['signature-input'] ? 'rfc9421' : 'cavage'
      if (scheme === 'rfc9421' && options.refuseRfc9421) {
        res.writeHead(401).end()
        return
      }
      received.push({
        path: req.url ?? '',
        activity: JSON.parse(body),
        verified: await verify(req, body, origin),
        scheme,
      })
      res.writeHead(202).end()
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return {
    origin,
    actor: `${origin}/users/alice`,
    received,
    fetched,
    failNext,
    post(url, activity, options = {}) {
      const body = JSON.stringify(activity)
      const target = new URL(url)
      return new Promise((resolve, reject) => {
        // A connection of its own: Node's default agent keeps connections alive, and one the
        // Worker closes while idle, reused at that moment, fails as "socket hang up".
        const req = request(target, { method: 'POST', agent: false }, (res) => {
          readBody(res).then((text) => resolve({ status: res.statusCode ?? 0, text }), reject)
        })
        req.on('error', reject)
        req.setHeader('host', target.host)
        req.setHeader('date', new Date().toUTCString())
        req.setHeader('content-type', 'application/activity+json')
        const keyId = `${origin}/users/${options.as ?? 'alice'}#main-key`
        const sent = options.tamper ? body.replace('Follow', 'Folloe') : body
        if (options.scheme === 'rfc9421') {
          signWithRfc9421(target, body, keyId, privateKeyPem).then((headers) => {
            for (const [name, value] of Object.entries(headers)) req.setHeader(name, value)
            req.end(sent)
          }, reject)
          return
        }
        req.setHeader('digest', `SHA-256=${createHash('sha256').update(body).digest('base64')}`)
        if (options.sign !== false)
          httpSignature.signRequest(req, {
            key: privateKeyPem,
            keyId,
            headers: ['(request-target)', 'host', 'date', 'digest'],
            authorizationHeaderName: 'Signature',
          })
        req.end(sent)
      })
    },
    close: () => server.close(),
  }
}
