import * as v from 'valibot'
import { idProblem } from '../model/id'
import { IMAGE_ELEMENTS } from '../model/profile'
import { slugProblem } from '../model/slug'
import { controlCharProblem, stripInvalidXmlChars } from '../model/text'
import { isUrl } from '../model/url'
import { PROFILES, type ProfileOverrides } from '../profiles/rules'
import { SANITISED_ELEMENTS } from './markdown'

// RFC 3339 §5.6 date-time; the zone is required so that no date depends on the build machine.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i
const EARLIEST = Date.UTC(1970, 0, 1)
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59)

// A control character in a name or a headline is an accident of an export or a paste: refused
// with where it is, so that nobody's text is silently changed (XML 1.0 §2.2 cannot carry it).
const noControls = v.rawCheck<string>(({ dataset, addIssue }) => {
  const problem = dataset.typed ? controlCharProblem(dataset.value) : undefined
  if (problem) addIssue({ message: problem })
})

// What else XML cannot carry (U+FFFE, lone surrogates) is removed, once, so every format and
// page shows the same text.
const cleanText = v.transform((value: string) => stripInvalidXmlChars(value).trim())

const text = (what: string) =>
  v.pipe(
    v.string(`must be ${what}`),
    noControls,
    cleanText,
    v.nonEmpty(`must be ${what}, not empty`),
  )

const optionalText = v.optional(v.pipe(v.string('must be text'), noControls, cleanText))

const absoluteUrl = v.pipe(
  v.string('must be an absolute http(s) URL'),
  v.trim(),
  v.check(
    (value) => /^https?:\/\/[^\s/]+/i.test(value) && isUrl(value),
    (issue) => {
      return `must be an absolute http(s) URL, got ${JSON.stringify(issue.input)}`
    },
  ),
)

/** A URL that may be relative to the site (`/logo.png`); the loader resolves it. */
const urlReference = v.pipe(
  v.string('must be a URL'),
  v.trim(),
  v.check(
    (value) => /^(https?:\/\/|\/)/i.test(value) && isUrl(value, 'http://x.invalid/'),
    (issue) =>
      `must be an http(s) URL or a path starting with /, got ${JSON.stringify(issue.input)}`,
  ),
)

const slug = v.pipe(
  v.string('must be a slug'),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? slugProblem(dataset.value) : undefined
    if (problem) addIssue({ message: problem })
  }),
)

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

// Date.parse rolls 2026-02-30 over to March; a real date-time names a day its month has.
function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value)
  if (!match || Number.isNaN(Date.parse(value))) return false
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0)
  return day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59
}

const dateTime = v.pipe(
  v.string('must be an RFC 3339 date-time with a zone, e.g. 2021-07-19T16:00:00Z'),
  v.check(
    isDateTime,
    (issue) => `must be an RFC 3339 date-time with a zone, got ${JSON.stringify(issue.input)}`,
  ),
  v.check((value) => {
    if (!isDateTime(value)) return true
    const time = Date.parse(value)
    return time >= EARLIEST && time <= LATEST
  }, 'must lie between 1970-01-01 and 9999-12-31'),
  v.transform((value) => new Date(value).toISOString()),
)

const count = (what: string) =>
  v.pipe(
    v.number(`must be ${what}`),
    v.integer(`must be ${what}`),
    v.minValue(1, `must be ${what}`),
  )

const seconds = v.pipe(
  v.number('must be a number of seconds'),
  v.integer('must be a whole number of seconds'),
  v.minValue(0, 'must not be negative'),
)

// RFC 6838 §4.2: type "/" subtype, each a restricted-name; parameters have no place here.
const mimeType = v.pipe(
  v.string('must be a MIME type such as audio/mpeg'),
  v.trim(),
  v.regex(
    /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i,
    (issue) =>
      `must be a MIME type (type/subtype) such as audio/mpeg, got ${JSON.stringify(issue.input)}`,
  ),
  v.toLowerCase(),
)

// A server a publisher blocks: a domain name, matched with its subdomains.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

/** `federation:` in site.yaml: the object type followers get, and servers refused. */
const FederationSchema = v.strictObject({
  object_type: v.optional(v.picklist(['Note', 'Article'], 'must be Note or Article'), 'Note'),
  blocked: v.optional(
    v.array(
      v.pipe(
        v.string('must be a domain name'),
        v.transform((value) => value.trim().toLowerCase()),
        v.regex(DOMAIN, 'must be a domain name such as spam.example'),
      ),
      'must be a list of domain names',
    ),
    [],
  ),
})

/** `content/site.yaml`. */
export const SiteSchema = v.strictObject({
  title: text('the site title'),
  description: text('a description'),
  url: absoluteUrl,
  language: v.pipe(
    v.string('must be a language tag'),
    v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en-US'),
  ),
  copyright: text('a copyright line'),
  logo: v.optional(urlReference),
  icon: v.optional(urlReference),
  favicon: v.optional(urlReference),
  default_items: v.optional(count('a whole number of at least 1'), 20),
  max_items: v.optional(count('a whole number of at least 1'), 100),
  cache: v.optional(
    v.strictObject({
      max_age: v.optional(seconds, 300),
      stale_while_revalidate: v.optional(seconds, 600),
      stale_if_error: v.optional(seconds, 86400),
    }),
    {},
  ),
  websub_hub: v.optional(absoluteUrl),
  cover: v.optional(urlReference),
  accent_color: v.optional(
    v.pipe(
      v.string('must be a colour'),
      v.regex(/^[0-9a-fA-F]{6}$/, 'must be six hexadecimal digits, such as 0b5cad'),
    ),
  ),
  federation: v.optional(FederationSchema),
})

/** `content/authors/<slug>.yaml`. */
export const AuthorSchema = v.strictObject({
  name: text('the author name'),
  role: optionalText,
  bio: optionalText,
  url: v.optional(urlReference),
  avatar: v.optional(urlReference),
  profiles: v.optional(
    v.array(
      v.strictObject({
        network: text('the network name'),
        handle: text('a handle'),
        url: absoluteUrl,
      }),
      'must be a list of profiles',
    ),
    [],
  ),
})

/** `content/categories.yaml`. */
export const CategoriesSchema = v.array(
  v.strictObject({ slug, name: text('the category name'), description: text('a description') }),
  'must be a list of categories',
)

/** Front matter of `content/articles/*.md`. */
export const FrontMatterSchema = v.strictObject({
  // New articles get a urn:uuid:; one moved in from another CMS keeps its GUID (model/id.ts).
  id: v.pipe(
    v.string('must be a urn:uuid: identifier or the GUID the article had before'),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return
      const problem = idProblem(dataset.value)
      if (problem)
        addIssue({ message: `${problem}, got ${JSON.stringify(dataset.value.slice(0, 80))}` })
    }),
  ),
  slug: v.optional(slug),
  // A bound against mistakes, not a style rule: aggregator profiles set their own lengths.
  // Absent or empty for an untitled article (a status, a photo): model/title.ts shows one.
  title: v.nullish(
    v.pipe(
      v.string('must be the headline'),
      noControls,
      cleanText,
      v.maxLength(20_000, 'must be at most 20,000 characters'),
    ),
    '',
  ),
  summary: optionalText,
  author: slug,
  published: dateTime,
  updated: v.optional(dateTime),
  categories: v.pipe(
    v.array(slug, 'must be a list of category slugs'),
    v.minLength(1, 'must name at least one category'),
  ),
  tags: v.optional(v.array(text('a tag name'), 'must be a list of tag names'), []),
  image: v.optional(
    v.strictObject({
      url: v.optional(urlReference),
      alt: text('the image description (alt text)'),
      caption: optionalText,
      credit: optionalText,
      width: v.optional(count('a width in pixels')),
      height: v.optional(count('a height in pixels')),
      type: v.optional(
        v.pipe(v.string(), v.regex(/^image\/[a-z0-9.+-]+$/, 'must be an image MIME type')),
      ),
      length: v.optional(count('a length in bytes')),
    }),
  ),
  attachments: v.optional(
    v.array(
      v.strictObject({
        url: urlReference,
        type: mimeType,
        length: v.optional(count('a length in bytes, at least 1')),
        duration: v.optional(seconds),
        title: optionalText,
      }),
      'must be a list of attachments ({ url, type, length, duration, title })',
    ),
  ),
})

const bounds = (what: string) =>
  v.pipe(
    v.strictObject({
      min: v.optional(count(`a number of ${what}`)),
      max: v.optional(count(`a number of ${what}`)),
    }),
    v.check(
      (b) => b.min === undefined || b.max === undefined || b.min <= b.max,
      'must have a min no larger than its max',
    ),
  )

const oneOf = (values: readonly string[], what: string) =>
  v.picklist(values, (issue) => `must be ${what}, got ${JSON.stringify(issue.input)}`)

/**
 * `rules:` of a feed definition with a `profile:`: what it changes of the aggregator's rules
 * (src/profiles/rules.ts), in YAML's snake_case.
 */
const ProfileOverridesSchema = v.pipe(
  v.strictObject({
    max_age_days: v.optional(count('a number of days')),
    full_text: v.optional(v.boolean('must be true (the article) or false (a teaser)')),
    title: v.optional(bounds('characters')),
    summary: v.optional(bounds('characters')),
    image: v.optional(
      v.strictObject({
        min_pixels: count('a number of pixels'),
        side: v.optional(oneOf(['shortest', 'longest'], 'shortest or longest'), 'shortest'),
      }),
    ),
    image_elements: v.optional(
      v.pipe(
        v.array(oneOf(IMAGE_ELEMENTS, `one of ${IMAGE_ELEMENTS.join(', ')}`), 'must be a list'),
        v.minLength(1, 'must name at least one element'),
      ),
    ),
    html_allowlist: v.optional(
      v.pipe(
        v.array(oneOf(SANITISED_ELEMENTS, 'an HTML element the sanitiser keeps'), 'must be a list'),
        v.minLength(1, 'must name at least one element'),
      ),
    ),
    item_bytes: v.optional(count('a number of bytes')),
    feed_bytes: v.optional(count('a number of bytes')),
    https_only: v.optional(v.boolean('must be true or false')),
  }),
  // The picklists above make the values what ProfileOverrides names; absent keys stay absent.
  v.transform((r) => {
    const overrides = {
      maxAgeDays: r.max_age_days,
      fullText: r.full_text,
      title: r.title,
      summary: r.summary,
      image: r.image && { minPixels: r.image.min_pixels, side: r.image.side },
      imageElements: r.image_elements,
      htmlAllowlist: r.html_allowlist,
      maxItemBytes: r.item_bytes,
      maxFeedBytes: r.feed_bytes,
      httpsOnly: r.https_only,
    }
    return Object.fromEntries(
      Object.entries(overrides).filter(([, value]) => value !== undefined),
    ) as ProfileOverrides
  }),
)

/** `feeds/<name>.yaml`: a curated feed, or an aggregator's feed (`profile:`, `rules:`). */
export const FeedDefinitionSchema = v.strictObject({
  title: text('the feed title'),
  description: text('a description'),
  categories: v.optional(v.array(slug, 'must be a list of category slugs'), []),
  tags: v.optional(v.array(text('a tag name'), 'must be a list of tag names'), []),
  authors: v.optional(v.array(slug, 'must be a list of author slugs'), []),
  limit: v.optional(count('a whole number of at least 1')),
  profile: v.optional(
    v.picklist(Object.keys(PROFILES), `must be one of ${Object.keys(PROFILES).join(', ')}`),
  ),
  rules: v.optional(ProfileOverridesSchema),
})

export type SiteInput = v.InferOutput<typeof SiteSchema>
export type AuthorInput = v.InferOutput<typeof AuthorSchema>
export type CategoriesInput = v.InferOutput<typeof CategoriesSchema>
export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>
export type FeedDefinitionInput = v.InferOutput<typeof FeedDefinitionSchema>

/** A problem found while loading content, located by file and field. */
export interface ContentProblem {
  file: string
  field: string
  message: string
}

function describeType(input: unknown): string {
  if (input === null) return 'nothing'
  if (Array.isArray(input)) return 'a list'
  return typeof input === 'object' ? 'a mapping' : `${typeof input} ${JSON.stringify(input)}`
}

// valibot reports three object problems with one issue type; each gets a message of its own.
function messageOf(issue: v.BaseIssue<unknown>): string {
  if (issue.type !== 'strict_object' || issue.kind !== 'schema') return issue.message
  if (issue.expected === 'never') return 'is not a known field'
  if (issue.expected === 'Object')
    return `must be a mapping of fields, not ${describeType(issue.input)}`
  return 'is required'
}

/** Validates `input`, returning the value or every problem as `file: field: message` parts. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  file: string,
): { value: v.InferOutput<S> } | { problems: ContentProblem[] } {
  if (Array.isArray(input) && schema.type === 'strict_object') {
    return {
      problems: [{ file, field: '(root)', message: 'must be a mapping of fields, not a list' }],
    }
  }
  const result = v.safeParse(schema, input)
  if (result.success) return { value: result.output }
  return {
    problems: result.issues.map((issue) => ({
      file,
      field: v.getDotPath(issue) ?? '(root)',
      message: messageOf(issue),
    })),
  }
}
