import { connect } from 'node:net'

/** A response as read off the socket; status 0 when the connection closed without one. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  for (;;) {
    const end = body.indexOf('\r\n', offset)
    if (end < 0) break
    const size = Number.parseInt(body.subarray(offset, end).toString('latin1'), 16)
    if (!size) break
    parts.push(body.subarray(end + 2, end + 2 + size))
    offset = end + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/**
 * Sends bytes exactly as given to host:port and reads the response until the server closes
 * the connection: for requests no HTTP client library would agree to send.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  timeout = 10_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.setTimeout(timeout, () => socket.destroy(new Error('timed out')))
    // Done at the end of the message, whether or not the server then closes the connection.
    const complete = (raw: Buffer) => {
      const split = raw.indexOf('\r\n\r\n')
      if (split < 0) return false
      const head = raw.subarray(0, split).toString('latin1').toLowerCase()
      if (/^http\/1\.1 (1\d\d|204|304)/.test(head) || request.toString().startsWith('HEAD '))
        return true
      const length = /\r\ncontent-length: *(\d+)/.exec(head)?.[1]
      if (length !== undefined) return raw.length - split - 4 >= Number(length)
      return (
        /\r\ntransfer-encoding: *chunked/.test(head) &&
        raw.subarray(-5).toString('latin1') === '0\r\n\r\n'
      )
    }
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      if (complete(Buffer.concat(chunks))) socket.end()
    })
    // A server may reset the connection instead of answering (status 0 then).
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error)
    })
    socket.on('close', () => {
      const raw = Buffer.concat(chunks)
      if (raw.length === 0) return resolve({ status: 0, headers: {}, body: '' })
      const split = raw.indexOf('\r\n\r\n')
      if (split < 0)
        return reject(
          new Error(`no response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`),
        )
      const [statusLine = '', ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const rest = raw.subarray(split + 4)
      const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') })
    })
    socket.write(request)
  })
}
