/**
 * One source read to the end, whatever it is: its bytes opened once (fetch.ts), decoded
 * (decode.ts), then streamed to the WordPress reader or read whole as a feed and its pages.
 * Whatever stops the reading is a problem of the source, one line each, never a thrown error.
 */
import { stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Decoding, decodeStream, decodeText } from './decode'
import { readFeeds } from './feeds'
import { type Budget, type Limits, type Opened, openFile, openUrl } from './fetch'
import { localPath } from './follow'
import { emptyRead, SourceError, type SourceRead } from './source'
import { readWxr } from './wxr'

/** How a run reads its sources: its limits, and the bytes it has read over http(s). */
export interface Reading {
  limits: Limits
  budget: Budget
  /** Called with a WordPress export's size in bytes; what it returns is told each chunk's. */
  progress?: (total: number) => ((bytes: number) => void) | undefined
  done?: () => void
}

const isUrl = (source: string) => /^https?:\/\//i.test(source)

// A WordPress export says so in its first kilobytes: the wp namespace and wp:wxr_version.
const WORDPRESS = /xmlns:wp="http:\/\/wordpress\.org\/export\/|<wp:wxr_version>/
const HEAD = 64 * 1024

async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    onBytes?.(chunk.byteLength)
    yield chunk
  }
}

async function* replay<T>(head: T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield* head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

// A page after the first: over http(s) held to the page limit, or a file beside a local source.
function pageLoader(source: string, reading: Reading, decoding: Decoding) {
  return async (url: string): Promise<{ url: string; text: string }> => {
    const local = isUrl(source) ? undefined : localPath(url)
    const max = {
      bytes: reading.limits.pageBytes,
      what: 'the limit for a feed page (--max-page-mib)',
    }
    const opened: Opened =
      local === undefined
        ? await openUrl(url, source, reading.limits, reading.budget, max)
        : openFile(join(dirname(source), local))
    const text = await decodeText(opened.chunks, url, {
      warnings: decoding.warnings,
      ...(opened.charset ? { charset: opened.charset } : {}),
    })
    return { url: opened.url ?? url, text }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (error) {
    // Deliberate: the command names the file and what is wrong with it, not the system call.
    const code = (error as { code?: string }).code
    throw new SourceError(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`)
  }
}

async function readOpened(
  source: string,
  offset: string,
  reading: Reading,
  decoding: Decoding,
): Promise<SourceRead> {
  const name = isUrl(source) ? source : basename(source)
  const max = { bytes: reading.limits.totalBytes, what: 'the limit for a run (--max-total-mib)' }
  const opened = isUrl(source)
    ? await openUrl(source, source, reading.limits, reading.budget, max)
    : openFile(source)
  if (opened.charset) decoding.charset = opened.charset
  const size = isUrl(source) ? 0 : await sizeOf(source)
  const bytes = opened.chunks[Symbol.asyncIterator]()
  const head: Uint8Array[] = []
  let length = 0
  while (length < HEAD) {
    const next = await bytes.next()
    if (next.done) break
    head.push(next.value)
    length += next.value.byteLength
  }
  // The markers are ASCII, and WordPress writes its exports in UTF-8: bytes read as Latin-1 do.
  // UTF-16 (which WordPress never writes, but a re-saved export may be in) only adds NUL bytes.
  const wordpress = WORDPRESS.test(Buffer.concat(head).toString('latin1').replace(/\0/g, ''))
  const chunks = counted(replay(head, bytes), reading.progress?.(size))
  if (wordpress) return readWxr(decodeStream(chunks, name, decoding), name, { offset })
  // A feed is read whole: its body is held to a page's limit, the bytes before included.
  max.bytes = reading.limits.pageBytes
  max.what = 'the limit for a feed page (--max-page-mib)'
  const text = await decodeText(chunks, name, decoding)
  const first = { name, text, ...(opened.url ? { base: opened.url } : {}) }
  return readFeeds(first, pageLoader(source, reading, decoding), {
    source,
    pages: reading.limits.pages,
    hosts: reading.limits.hosts,
  })
}

/** Reads one source (a file or an http(s) URL) to the end; what stops it is a problem. */
export async function readSource(
  given: string,
  offset: string,
  reading: Reading,
): Promise<SourceRead> {
  // A file given as a file: URL on the command line is that file (only next links are refused).
  const source = /^file:\/\//i.test(given) ? fileURLToPath(given) : given
  const decoding: Decoding = { warnings: [] }
  let read: SourceRead
  try {
    read = await readOpened(source, offset, reading, decoding)
  } catch (error) {
    // Deliberate: a source that cannot be read is reported with the others, not thrown.
    if (!(error instanceof SourceError)) throw error
    read = emptyRead()
    read.problems.push(...error.problems)
  } finally {
    reading.done?.()
  }
  read.warnings.unshift(...decoding.warnings)
  return read
}
