import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import RssParser from 'rss-parser'

const SCHEMAS = join(import.meta.dirname, '../schemas')
const scratch = mkdtempSync(join(tmpdir(), 'newswire-'))

/** fast-xml-parser's validator: `true` or the first well-formedness error. */
export function checkWellFormed(xml: string): true | string {
  const result = XMLValidator.validate(xml)
  return result === true ? true : `${result.err.code}: ${result.err.msg} (line ${result.err.line})`
}

// `xmllint --noout` with a schema option on `xml`: '' when valid, else its complaints.
function xmllint(xml: string, schema: string[]): string {
  const file = join(scratch, `doc-${process.pid}-${Math.random().toString(36).slice(2)}.xml`)
  writeFileSync(file, xml)
  try {
    execFileSync('xmllint', ['--noout', ...schema, file], { stdio: 'pipe' })
    return ''
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error)
  } finally {
    rmSync(file)
  }
}

/** `xmllint --relaxng` against the RFC 4287 schema: '' when valid, else its complaints. */
export function checkAtomRelaxNg(xml: string): string {
  return xmllint(xml, ['--relaxng', join(SCHEMAS, 'atom.rng')])
}

/**
 * `xmllint --schema` against a sitemaps.org 0.9 schema (`siteindex.xsd`, `sitemap.xsd`) or
 * urlset-with-news.xsd (a urlset whose URLs carry Google's `news:news`): '' when valid.
 */
export function checkSitemapSchema(
  xml: string,
  schema: 'siteindex.xsd' | 'sitemap.xsd' | 'urlset-with-news.xsd',
): string {
  return xmllint(xml, ['--schema', join(SCHEMAS, 'sitemaps', schema)])
}

/**
 * The two RFC 4287 rules RELAX NG cannot express (§4.1.1, §4.1.2): an author on the feed or on
 * every entry, and on every entry a content element or an alternate link.
 */
export function checkAtomRules(xml: string): string[] {
  const doc = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ['entry', 'link', 'author'].includes(name),
  }).parse(xml)
  const feed = doc.feed
  const problems: string[] = []
  const entries: Record<string, unknown>[] = feed.entry ?? []
  if (!feed.author && entries.some((e) => !e.author))
    problems.push('an entry has no author and the feed has none')
  for (const entry of entries) {
    const links = (entry.link as Record<string, string>[] | undefined) ?? []
    const alternate = links.some((l) => (l['@_rel'] ?? 'alternate') === 'alternate')
    if (!entry.content && !alternate)
      problems.push(`entry ${entry.id} has neither content nor an alternate link`)
    const keys = links
      .filter((l) => (l['@_rel'] ?? 'alternate') === 'alternate')
      .map((l) => `${l['@_type']}|${l['@_hreflang']}`)
    if (new Set(keys).size !== keys.length)
      problems.push(`entry ${entry.id} has two alternate links of one type and language`)
  }
  const ids = entries.map((e) => e.id)
  if (new Set(ids).size !== ids.length) problems.push('two entries share an id')
  return problems
}

let jsonFeedValidator: ReturnType<Ajv2020['compile']> | undefined

/** ajv with the JSON Feed 1.1 schema: [] when valid, else the errors. */
export function checkJsonFeed(value: unknown): string[] {
  if (!jsonFeedValidator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats.default(ajv)
    jsonFeedValidator = ajv.compile(
      JSON.parse(readFileSync(join(SCHEMAS, 'jsonfeed-1.1.schema.json'), 'utf8')),
    )
  }
  return jsonFeedValidator(value)
    ? []
    : (jsonFeedValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

/** What Universal Feed Parser (python3-feedparser) sees. */
export interface FeedparserResult {
  bozo: boolean
  bozo_exception: string
  version: string
  feed: {
    title: string
    link: string
    id: string | null
    updated: string | null
    links: { rel: string; href: string }[]
  }
  entries: {
    id: string
    title: string
    link: string
    author: string | null
    published: string | null
    updated: string | null
    summary: string | null
    content: string[]
    tags: string[]
    media_credit: string[]
    enclosures: { href: string; type: string | null; length: string | null }[]
  }[]
}

// Universal Feed Parser's JSON for each feed already read in this test file: a python3 start is
// most of a reading, and files check one body twice (bozo, then what readers see). Each call
// parses the JSON again, so no caller sees another's changes.
const readByFeedparser = new Map<string, string>()

/** Parses with Universal Feed Parser through Debian's python3 (not a pyenv one). */
export function parseWithFeedparser(feed: string): FeedparserResult {
  let out = readByFeedparser.get(feed)
  if (out === undefined) {
    out = execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'read_with_feedparser.py')], {
      input: feed,
      maxBuffer: 64 << 20,
    }).toString('utf8')
    readByFeedparser.set(feed, out)
  }
  return JSON.parse(out)
}

/** Parses with rss-parser (RSS and Atom). */
export function parseWithRssParser(feed: string) {
  return new RssParser({ customFields: { item: ['dc:creator', 'updated'] } }).parseString(feed)
}
