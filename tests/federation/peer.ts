import { createHash, generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, request, type Server } from 'node:http'
// PeerTube's fork of Joyent's reference draft-cavage implementation: not newswire's code.
import httpSignature from '@peertube/http-signature'

/** An activity the peer's inboxes received, and whether PeerTube's library verified it. */
export interface Received {
  path: string
  activity: Record<string, unknown>
  verified: boolean
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
    options?: { sign?: boolean; tamper?: boolean; as?: string },
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
    const actor = (await (
      await fetch(keyUrl.split('#')[0] as string, {
        headers: { accept: 'application/activity+json' },
      })
    ).json()) as {
      publicKey: { id: string; publicKeyPem: string }
    }
    const valid =
      actor.publicKey.id === keyUrl &&
      httpSignature.verifySignature(parsed, actor.publicKey.publicKeyPem)
    return valid ? keyUrl : undefined
  } catch {
    // A missing or malformed signature: not verified.
    return undefined
  }
}

async function verify(req: IncomingMessage, body: string): Promise<boolean> {
  const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`
  if (req.headers.digest !== digest) return false
  return (await verifiedSigner(req, ['(request-target)', 'host', 'date', 'digest'])) !== undefined
}

/**
 * Starts the peer on a free port of 127.0.0.1. With `authorizedFetch`, it behaves as Mastodon
 * in secure mode (AUTHORIZED_FETCH): a GET of an actor without a valid signature over
 * `(request-target) host date` gets 401.
 */
export async function startPeer(options: { authorizedFetch?: boolean } = {}): Promise<Peer> {
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
      received.push({
        path: req.url ?? '',
        activity: JSON.parse(body),
        verified: await verify(req, body),
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
        const req = request(target, { method: 'POST' }, (res) => {
          readBody(res).then((text) => resolve({ status: res.statusCode ?? 0, text }), reject)
        })
        req.setHeader('host', target.host)
        req.setHeader('date', new Date().toUTCString())
        req.setHeader('content-type', 'application/activity+json')
        req.setHeader('digest', `SHA-256=${createHash('sha256').update(body).digest('base64')}`)
        if (options.sign !== false)
          httpSignature.signRequest(req, {
            key: privateKeyPem,
            keyId: `${origin}/users/${options.as ?? 'alice'}#main-key`,
            headers: ['(request-target)', 'host', 'date', 'digest'],
            authorizationHeaderName: 'Signature',
          })
        req.end(options.tamper ? body.replace('Follow', 'Folloe') : body)
      })
    },
    close: () => server.close(),
  }
}
