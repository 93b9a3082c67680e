/**
 * A generated newsroom: a whole content/ and feeds/ tree as a news site stores it, seeded so
 * that every run and every machine gets the same bytes. Articles run 10 to 40 paragraphs with
 * subheadings, lists, GFM tables, fenced code, quotes, credited images and links; the prose
 * draws on a few hundred words with a Zipf-like spread (so it compresses like English, not like
 * a repeated phrase) and carries the accents, typographic quotes and scripts real copy has.
 *
 * `npm run newsroom -- --articles 1500 --out DIR [--seed N] [--scheduled N] [--newest ISO]`
 * writes the tree; `npm run build -- --root DIR` and `npm run import -- --root DIR` take it.
 */

import { pathToFileURL } from 'node:url'
import { readArgs } from './args'

/** A seeded pseudo-random source: mulberry32, small and fast. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T
}

const COMMON =
  'the of and to a in that is for it on with as was be by this are at from have has or an they which but not their been more were one will about also its can into than other when there new after only would all some first most over two what people could time years like just these may so three like we our out up year said because many how them those while last such both even where since then through during before under between back much well own make very still used use any same'.split(
    ' ',
  )
const NEWS =
  'Microsoft Windows update security company government report researchers device devices software hardware cloud server servers network attack attackers vulnerability patch patches customers users data privacy policy market launch release version feature features developer developers engineer engineers laptop laptops desktop processor chip chips battery display keyboard storage memory performance price prices statement officials minister agency agencies regulators investigation court lawsuit partners enterprise businesses consumers service services platform platforms browser application applications subscription preview build insiders rollout support settings account accounts encryption password passwords malware ransomware campaign groups state-backed threat threats incident incidents response analysts estimate quarter revenue growth shares investors competition rival rivals benchmark benchmarks gaming console controller headset graphics driver drivers firmware’s week month earlier later today yesterday announced confirmed revealed expected reported according described warned added noted suggested'.split(
    ' ',
  )
const FLAVOUR = [
  'Zoë Müller',
  'José Álvarez',
  'Søren Kierkegaard Ltd',
  '“zero-day”',
  '€1,299',
  '£849',
  'naïve',
  'café',
  'Ελληνικά',
  'Москва',
  '東京',
  '서울',
  '—',
  'AT&T',
  'R&D',
  '½',
  '°C',
  'Copilot+',
  'x86 → ARM',
  '🚀',
]

/** Words drawn with a Zipf-like spread: common words often, the long tail rarely. */
function word(next: () => number): string {
  const r = next()
  if (r < 0.45) return COMMON[Math.floor(COMMON.length * next() ** 2)] as string
  if (r < 0.985) return NEWS[Math.floor(NEWS.length * next() ** 1.5)] as string
  return pick(next, FLAVOUR)
}

function sentence(next: () => number): string {
  const words = Array.from({ length: 8 + Math.floor(next() * 18) }, () => word(next))
  const text = words.join(' ')
  return `${text[0]?.toUpperCase()}${text.slice(1)}${next() < 0.1 ? '?' : '.'}`
}

function paragraph(next: () => number, sentences = 1 + Math.floor(next() * 4)): string {
  return Array.from({ length: sentences }, () => sentence(next)).join(' ')
}

function table(next: () => number): string {
  const columns = ['Model', 'Processor', 'Memory', 'Storage', 'Price']
  const rows = Array.from({ length: 3 + Math.floor(next() * 6) }, (_, i) => [
    `Surface ${pick(next, ['Laptop', 'Pro', 'Studio', 'Go'])} ${7 + i}`,
    pick(next, ['Snapdragon X Elite', 'Core Ultra 7 155H', 'Ryzen 7 8840U', 'Core i5-1335U']),
    `${pick(next, [8, 16, 32, 64])} GB`,
    `${pick(next, [256, 512, 1024])} GB SSD`,
    pick(next, ['$999', '€1,299', '£849', '$1,499']),
  ])
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')
}

function code(next: () => number): string {
  const lines = Array.from({ length: 3 + Math.floor(next() * 12) }, (_, i) =>
    pick(next, [
      `Get-WindowsUpdate -KBArticleID KB50${40000 + i} -Install`,
      'Set-ExecutionPolicy -Scope Process -ExecutionPolicy Bypass',
      `reg add "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate" /v Pause /t REG_DWORD /d ${i}`,
      'if ($build -lt 26100) { Write-Warning "Update first <then> retry & check" }',
      `winget install --id Microsoft.PowerToys -e # ${i}`,
    ]),
  )
  return ['```powershell', ...lines, '```'].join('\n')
}

function list(next: () => number): string {
  return Array.from({ length: 3 + Math.floor(next() * 5) }, () => `- ${sentence(next)}`).join('\n')
}

function figure(next: () => number, index: number): string {
  const n = Math.floor(next() * 10_000)
  return `![${sentence(next).slice(0, 80)}](/images/${index}-${n}.jpg)\n\n*${sentence(next)} (Image credit: ${pick(next, ['Daniel Rubino', 'Zac Bowden', 'Jez Corden'])} / Windows Central)*`
}

/**
 * A Markdown body of 10 to 40 paragraphs (or `range`) and the blocks a news article carries
 * between them.
 */
export function articleBody(
  next: () => number,
  index: number,
  range: readonly [number, number] = [10, 40],
): string {
  const [least, most] = range
  const paragraphs = least + Math.floor(next() * (most - least + 1))
  const blocks = ['## What you need to know', list(next)]
  for (let i = 0; i < paragraphs; i++) {
    blocks.push(paragraph(next))
    const r = next()
    if (i > 0 && i % 8 === 0) blocks.push(`## ${sentence(next).slice(0, 60).replace(/\.$/, '')}`)
    else if (r < 0.06) blocks.push(table(next))
    else if (r < 0.1) blocks.push(code(next))
    else if (r < 0.17) blocks.push(`> ${paragraph(next, 2)}\n>\n> — ${pick(next, FLAVOUR)}`)
    else if (r < 0.22) blocks.push(list(next))
    else if (r < 0.27) blocks.push(figure(next, index))
    else if (r < 0.37)
      blocks.push(
        `Read more: [${sentence(next).slice(0, 50)}](/articles/story-${Math.floor(next() * index)}/)`,
      )
  }
  return `${blocks.join('\n\n')}\n`
}

/** How large a newsroom to generate, and when its newest article is published. */
export interface NewsroomOptions {
  articles: number
  seed?: number
  categories?: number
  authors?: number
  tags?: number
  /** The newest published article (ms); older ones follow every `spacing` ms. */
  newest?: number
  spacing?: number
  /** How many articles are scheduled after `newest`, one every `spacing` ms. */
  scheduled?: number
  /** Paragraphs per article, fewest and most. */
  paragraphs?: readonly [number, number]
  /** Tags each article has of its own, beside the shared ones: a CMS that tagged everything. */
  ownTags?: number
}

const DEFAULTS = {
  seed: 7,
  categories: 12,
  authors: 24,
  tags: 300,
  newest: Date.UTC(2026, 10, 30, 12),
  spacing: 25 * 60_000,
  scheduled: 0,
  paragraphs: [10, 40] as const,
  ownTags: 0,
}

const CATEGORY_NAMES = [
  'Windows',
  'Security',
  'Cloud',
  'Gaming',
  'Xbox',
  'Surface',
  'Laptops',
  'Software & Apps',
  'AI',
  'Business',
  'Hardware',
  'Deals',
  'Accessories',
  'Phones',
  'Policy',
  'Science',
]

const yaml = (value: string) => JSON.stringify(value)

function uuid(seed: number, index: number): string {
  const hex = index.toString(16).padStart(12, '0')
  return `urn:uuid:${(seed >>> 0).toString(16).padStart(8, '0')}-4e77-4000-8000-${hex}`
}

function siteFiles(options: Required<NewsroomOptions>): [string, string][] {
  const site = [
    'title: Newsroom Times',
    'description: A generated newsroom with long articles, for tests and benchmarks.',
    'url: http://127.0.0.1:8787',
    'language: en-GB',
    'copyright: © 2026 Newsroom Times',
    'logo: /assets/logo-144.png',
    'icon: /assets/icon-512.png',
    'favicon: /assets/favicon-64.png',
    'default_items: 20',
    'max_items: 100',
  ].join('\n')
  const categories = Array.from({ length: options.categories }, (_, i) => {
    const name = CATEGORY_NAMES[i] ?? `Section ${i}`
    return `- slug: ${slugOf(name)}\n  name: ${yaml(name)}\n  description: ${yaml(`News about ${name}.`)}`
  }).join('\n')
  const next = random(options.seed ^ 0xa5a5)
  const authors = Array.from({ length: options.authors }, (_, i): [string, string] => [
    `content/authors/writer-${i}.yaml`,
    `name: ${yaml(`${pick(next, ['Zoë', 'Sean', 'Jez', 'Zac', 'Daniel', 'Kevin', 'Ben', 'Cale'])} ${pick(next, ['Okafor', 'Endicott', 'Müller', 'Corden', 'Rubino', 'Álvarez', 'Hunt', 'Bowden'])} ${i}`)}\nrole: News Writer\nbio: ${yaml(paragraph(next, 3))}\n`,
  ])
  const feeds: [string, string][] = [
    [
      'feeds/security-desk.yaml',
      'title: Security desk\ndescription: Security and cloud stories.\ncategories: [security, cloud]\nlimit: 50\n',
    ],
    [
      'feeds/google-news.yaml',
      'title: Newsroom Times for Google News\ndescription: Every article, for Google News.\nprofile: google-news\n',
    ],
    [
      'feeds/feedly.yaml',
      'title: Newsroom Times for Feedly\ndescription: Every article, for Feedly.\nprofile: feedly\n',
    ],
  ]
  return [
    ['content/site.yaml', `${site}\n`],
    ['content/categories.yaml', `${categories}\n`],
    ...authors,
    ...feeds,
  ]
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** The front matter and body of article `index` (0 is the newest). */
function articleFile(
  index: number,
  options: Required<NewsroomOptions>,
  categories: string[],
  tags: string[],
): [string, string] {
  const next = random(options.seed * 1_000_003 + index)
  const published = new Date(
    options.newest + (options.scheduled - index) * options.spacing,
  ).toISOString()
  const articleCategories = [
    ...new Set(Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(next, categories))),
  ]
  // Tags follow a Zipf-like spread too: a few are on many articles, most on a handful.
  const articleTags = [
    ...new Set(
      Array.from(
        { length: 1 + Math.floor(next() * 5) },
        () => tags[Math.floor(tags.length * next() ** 2.2)] as string,
      ),
    ),
    ...Array.from(
      { length: options.ownTags },
      (_, k) =>
        `${pick(next, ['Zürich', 'Été', '東京', 'Москва', 'Seoul 서울', 'Model', '🚀'])} ${index}-${k}`,
    ),
  ]
  const title = sentence(next).replace(/[.?]$/, '').slice(0, 110)
  const front = [
    '---',
    `id: ${uuid(options.seed, index)}`,
    `slug: story-${index}`,
    `title: ${yaml(title)}`,
    `summary: ${yaml(paragraph(next, 2))}`,
    `author: writer-${Math.floor(next() * options.authors)}`,
    `published: ${published}`,
    ...(next() < 0.1 && index > options.scheduled
      ? [`updated: ${new Date(Date.parse(published) + 3_600_000).toISOString()}`]
      : []),
    `categories: [${articleCategories.join(', ')}]`,
    `tags: [${articleTags.map(yaml).join(', ')}]`,
    'image:',
    `  url: /images/lead-${index}.jpg`,
    `  alt: ${yaml(sentence(next).slice(0, 90))}`,
    `  credit: ${yaml(`${pick(next, ['Daniel Rubino', 'Zac Bowden', 'Getty Images'])} / Newsroom Times`)}`,
    '  width: 1600',
    '  height: 900',
    '  type: image/jpeg',
    `  length: ${150_000 + Math.floor(next() * 200_000)}`,
    '---',
    '',
  ]
  return [
    `content/articles/story-${index}.md`,
    `${front.join('\n')}${articleBody(next, index, options.paragraphs)}`,
  ]
}

/**
 * Every file of the newsroom, as [path from the root, text], one at a time: a 100,000-article
 * archive is written without holding it in memory. Article 0 is the newest; with `scheduled`,
 * articles 0 to scheduled-1 are after `newest`.
 */
export function* newsroomFiles(input: NewsroomOptions): Generator<[string, string]> {
  const options = { ...DEFAULTS, ...input } as Required<NewsroomOptions>
  const categories = Array.from({ length: options.categories }, (_, i) =>
    slugOf(CATEGORY_NAMES[i] ?? `Section ${i}`),
  )
  const next = random(options.seed ^ 0x5eed)
  const tags = Array.from(
    { length: options.tags },
    (_, i) =>
      `${pick(next, ['Windows 11', 'Xbox', 'Copilot', 'Surface', 'Azure', 'Teams', 'Edge', 'Office', 'Intel', 'AMD', 'Qualcomm', 'Nvidia', 'Café', 'Zürich'])} ${i}`,
  )
  yield* siteFiles(options)
  for (let index = 0; index < options.articles + options.scheduled; index++)
    yield articleFile(index, options, categories, tags)
}

async function main(): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises')
  const { dirname, join } = await import('node:path')
  const args = readArgs([
    'articles',
    'out',
    'seed',
    'scheduled',
    'newest',
    'tags',
    'own-tags',
    'paragraphs',
  ])
  const option = (name: string) => args.value(name)
  const out = option('out')
  if (!out)
    throw new Error(
      'usage: npm run newsroom -- --articles N --out DIR [--seed N] [--scheduled N] [--newest ISO]',
    )
  const newest = option('newest')
  const options: NewsroomOptions = {
    articles: Number(option('articles') ?? 1500),
    seed: Number(option('seed') ?? DEFAULTS.seed),
    scheduled: Number(option('scheduled') ?? 0),
    tags: Number(option('tags') ?? DEFAULTS.tags),
    ...(option('own-tags') ? { ownTags: Number(option('own-tags')) } : {}),
    ...(option('paragraphs')
      ? { paragraphs: option('paragraphs')?.split('-').map(Number) as [number, number] }
      : {}),
    ...(newest ? { newest: Date.parse(newest) } : {}),
  }
  let files = 0
  let bytes = 0
  const folders = new Set<string>()
  for (const [path, text] of newsroomFiles(options)) {
    const file = join(out, path)
    const folder = dirname(file)
    if (!folders.has(folder)) await mkdir(folder, { recursive: true })
    folders.add(folder)
    await writeFile(file, text)
    files += 1
    bytes += Buffer.byteLength(text)
  }
  console.log(`newsroom: ${files} files, ${(bytes / 1e6).toFixed(1)} MB in ${out}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
