/**
 * `npm run migrate` on a large WordPress export: a WXR of about 100 MB (long posts with
 * tables, code, quotes and figures; drafts, pages, attachments and comments among them),
 * generated once, migrated into an empty copy of content/ by the real command in a child
 * process. The table gives the time and the child's peak memory (GNU time's maximum RSS).
 */
import { spawnSync } from 'node:child_process'
import { cpSync, createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../scripts/content-files'
import { corpusBody } from '../scripts/corpus'
import { parseGnuTime } from './gnu-time'
import { section } from './report'

const WORK = join(ROOT, '.wrangler', 'bench-migrate')
const POSTS = 8000

const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
const pad = (n: number) => String(n).padStart(2, '0')
function wxrDate(at: number): string {
  const d = new Date(at)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`
}

/** Writes the export once; returns its path and size. */
async function exportFile(): Promise<{ path: string; bytes: number; posts: number }> {
  const path = join(WORK, `export-${POSTS}.xml`)
  if (!existsSync(path)) {
    mkdirSync(WORK, { recursive: true })
    const out = createWriteStream(path)
    const write = (text: string) =>
      new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)))
    await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench Gazette</title><link>https://bench-old.example.com</link><language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench-old.example.com</wp:base_site_url><wp:base_blog_url>https://bench-old.example.com</wp:base_blog_url>
`)
    for (let a = 0; a < 40; a++)
      await write(
        `<wp:author><wp:author_id>${a + 1}</wp:author_id><wp:author_login>${cdata(`writer${a}`)}</wp:author_login><wp:author_email>${cdata(`writer${a}@bench-old.example.com`)}</wp:author_email><wp:author_display_name>${cdata(`Writer ${a}`)}</wp:author_display_name></wp:author>\n`,
      )
    for (let c = 0; c < 12; c++)
      await write(
        `<wp:category><wp:term_id>${c + 1}</wp:term_id><wp:category_nicename>section-${c}</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>${cdata(`Section ${c}`)}</wp:cat_name></wp:category>\n`,
      )
    const start = Date.UTC(2018, 0, 1)
    for (let i = 0; i < POSTS; i++) {
      const at = start + i * 3 * 3_600_000
      const status = i % 20 === 7 ? 'draft' : 'publish'
      const date = wxrDate(at)
      const image = i % 3 === 0
      await write(`<item>
<title>${cdata(`Story ${i}: the harbour, the town and the tide`)}</title>
<link>https://bench-old.example.com/${date.slice(0, 4)}/${date.slice(5, 7)}/story-${i}/</link>
<dc:creator>${cdata(`writer${i % 40}`)}</dc:creator>
<guid isPermaLink="false">https://bench-old.example.com/?p=${10_000 + i}</guid>
<content:encoded>${cdata(corpusBody(i).html)}</content:encoded>
<excerpt:encoded>${cdata(i % 2 ? `A short summary of story ${i}.` : '')}</excerpt:encoded>
<wp:post_id>${10_000 + i}</wp:post_id>
<wp:post_date>${cdata(date)}</wp:post_date><wp:post_date_gmt>${cdata(date)}</wp:post_date_gmt>
<wp:post_modified_gmt>${cdata(wxrDate(at + (i % 4 === 0 ? 86_400_000 : 0)))}</wp:post_modified_gmt>
<wp:post_name>${cdata(`story-${i}`)}</wp:post_name><wp:status>${cdata(status)}</wp:status><wp:post_type>${cdata('post')}</wp:post_type><wp:post_password>${cdata('')}</wp:post_password>
<category domain="category" nicename="section-${i % 12}">${cdata(`Section ${i % 12}`)}</category>
<category domain="post_tag" nicename="topic-${i % 300}">${cdata(`Topic ${i % 300}`)}</category>
<category domain="post_tag" nicename="place-${i % 77}">${cdata(`Place ${i % 77}`)}</category>
${image ? `<wp:postmeta><wp:meta_key>${cdata('_thumbnail_id')}</wp:meta_key><wp:meta_value>${cdata(String(100_000 + i))}</wp:meta_value></wp:postmeta>` : ''}
<wp:comment><wp:comment_id>${i}</wp:comment_id><wp:comment_content>${cdata('A reader writes.')}</wp:comment_content></wp:comment>
</item>
`)
      if (image)
        await write(`<item><title>${cdata(`photo ${i}`)}</title><guid isPermaLink="false">https://bench-old.example.com/wp-content/uploads/photo-${i}.jpg</guid>
<excerpt:encoded>${cdata(`Photo: Staff photographer ${i % 9}`)}</excerpt:encoded><wp:post_id>${100_000 + i}</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:post_mime_type>image/jpeg</wp:post_mime_type><wp:attachment_url>${cdata(`https://bench-old.example.com/wp-content/uploads/photo-${i}.jpg`)}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>${cdata(`The harbour on day ${i}`)}</wp:meta_value></wp:postmeta></item>
`)
    }
    await write('</channel>\n</rss>\n')
    await new Promise<void>((resolve) => out.end(resolve))
  }
  return { path, bytes: statSync(path).size, posts: POSTS }
}

/** Runs the benchmark; returns the peak memory in bytes. */
export async function benchMigrate(): Promise<number> {
  const { path, bytes, posts } = await exportFile()
  const site = join(WORK, 'site')
  rmSync(site, { recursive: true, force: true })
  cpSync(join(ROOT, 'content'), join(site, 'content'), { recursive: true })
  cpSync(join(ROOT, 'feeds'), join(site, 'feeds'), { recursive: true })
  const timed = (label: string) => {
    const result = spawnSync(
      '/usr/bin/time',
      [
        '-v',
        'npx',
        'tsx',
        'scripts/migrate.ts',
        path,
        '--root',
        site,
        '--now',
        '2026-12-01T00:00:00Z',
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 1e8 },
    )
    if (result.status !== 0)
      throw new Error(
        `migrate failed (${result.status ?? result.error?.message}): ${result.stderr}`,
      )
    // A report it cannot read stops the benchmark: a missing figure is not a zero.
    const { maxRssBytes: rss, wallSeconds: seconds } = parseGnuTime(result.stderr)
    const line = /articles: .*/.exec(result.stdout)?.[0]
    if (!line) throw new Error(`no "articles:" line in migrate's report:\n${result.stdout}`)
    return { label, rss, seconds, line }
  }
  const first = timed('first run: every article written')
  const second = timed('second run: nothing changed')
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MiB`
  section(
    [
      '### Migration: a large WordPress export',
      '',
      `A WXR of ${(bytes / 1e6).toFixed(1)} MB: ${posts.toLocaleString('en-US')} posts of 10 to 40 paragraphs (tables, code, quotes, figures), one in 20 a draft, one in 3 with a featured image, a comment each; migrated by \`npm run migrate\` in a child process into a copy of content/.`,
      '',
      '| run | wall time | peak memory (max RSS) | report |',
      '| --- | ---: | ---: | --- |',
      ...[first, second].map(
        (r) => `| ${r.label} | ${r.seconds.toFixed(1)} s | ${mb(r.rss)} | ${r.line} |`,
      ),
      '',
    ].join('\n'),
  )
  return Math.max(first.rss, second.rss)
}
