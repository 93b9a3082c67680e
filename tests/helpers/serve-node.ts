import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join } from 'node:path'

const PUBLIC = join(import.meta.dirname, '../../public')
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.xsl': 'application/xslt+xml',
}

/**
 * An app served over HTTP from Node, with the site's public files beside it as the Worker's
 * static assets would be: for a browser to open pages of content no build made.
 */
export async function serveApp(app: { fetch(request: Request): Response | Promise<Response> }) {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string
    if (path.startsWith('/assets/')) {
      const body = await readFile(join(PUBLIC, path)).catch(() => undefined)
      res.writeHead(body ? 200 : 404, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      })
      res.end(body)
      return
    }
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(name, value)
    const method = req.method ?? 'GET'
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const response = await app.fetch(
      new Request(`http://${req.headers.host}${req.url}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      }),
    )
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
