import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../scripts/content-files'

const REAL = join(import.meta.dirname, '../../../shared/real-world')
const DIR = mkdtempSync(join(tmpdir(), 'migrate-command-'))

/** Runs `npm run migrate -- …` as a publisher would, dry: nothing is ever written. */
function migrate(...args: string[]) {
  // `node --import tsx` is what the script's tsx runs, without the processes npx and tsx add.
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/migrate.ts', ...args, '--dry-run'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe('npm run migrate, reading', () => {
  it('migrates a local podcast feed and reports the next page on another host it did not read', () => {
    const run = migrate(join(REAL, 'cre-podcast.xml'))
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('articles: 30 imported')
    expect(run.stderr).toBe(
      'cre-podcast.xml: warning: its next page http://cre.fm/feed/m4a/?paged=2 is not followed: the source is a local file and this is another origin (--follow-hosts cre.fm reads it)\n',
    )
  })

  it('prints every problem of every source as one line, then that nothing was written', () => {
    const undecodable = join(DIR, 'latin.rss')
    writeFileSync(
      undecodable,
      Buffer.concat([
        Buffer.from('<rss version="2.0">\n<channel><title>Caf', 'latin1'),
        Buffer.from([0xe9]),
        Buffer.from('</title></channel></rss>\n', 'latin1'),
      ]),
    )
    const cut = join(DIR, 'cut.rss')
    writeFileSync(cut, '<rss version="2.0">\n<channel>\n  <item><title>Half')
    const run = migrate(undecodable, cut, join(DIR, 'missing.xml'))
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.split('\n')).toEqual([
      'latin.rss:2:20: the bytes E9 3C (at byte 39) are not utf-8, the encoding the default (UTF-8) gives',
      'cut.rss:3:20: the document ends inside <title> opened at 3:9: it is cut short',
      `${join(DIR, 'missing.xml')}: no such file`,
      'migrate: 3 problems; nothing was written.',
      '',
    ])
  })

  it('says what is wrong with a flag in one line, never a stack trace', () => {
    const run = migrate(join(REAL, 'cre-podcast.xml'), '--max-pages', '0')
    expect(run.status).toBe(2)
    expect(run.stderr).toBe(
      'migrate: --max-pages must be a whole number of at least 1, got "0"; nothing was written.\n',
    )
  })

  it('leaves out an item the build refuses, says why and where, and migrates the others', () => {
    // The build takes an article scheduled at most 366 days ahead (src/content/article.ts);
    // the feed's second item is three years ahead of --now.
    const feed = join(DIR, 'ahead.rss')
    writeFileSync(
      feed,
      [
        '<rss version="2.0"><channel><title>Harbour News</title><link>https://harbour.example/</link>',
        '<item><title>Ferry back</title><link>https://harbour.example/ferry/</link><guid>h-1</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate><description>The ferry is back.</description></item>',
        '<item><title>Far ahead</title><link>https://harbour.example/ahead/</link><guid>h-2</guid><pubDate>Fri, 07 Dec 2029 09:00:00 GMT</pubDate><description>Not yet.</description></item>',
        '<item><title>Bridge shut</title><link>https://harbour.example/bridge/</link><guid>h-3</guid><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate><description>The bridge is shut.</description></item>',
        '</channel></rss>',
      ].join('\n'),
    )
    const run = migrate(feed, '--now', '2026-12-07T12:00:00Z')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('articles: 2 imported')
    expect(run.stdout).toContain(
      '  item ahead.rss: item 2: published: is 1,096 days ahead; an article can be scheduled at most 366 days ahead (in content/articles/ahead.md): skipped (the build refuses it)',
    )
  })
})
