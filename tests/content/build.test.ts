import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../..')

async function build(root: string, out: string): Promise<{ code: number; stderr: string }> {
  const to = ['--generated', join(out, 'generated'), '--assets', join(out, 'assets')]
  try {
    await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/build-content.ts', '--root', root, ...to],
      {
        cwd: ROOT,
      },
    )
    return { code: 0, stderr: '' }
  } catch (error) {
    const failure = error as { code: number; stderr: string }
    return { code: failure.code, stderr: failure.stderr }
  }
}

const SEED = 'content/articles/microsoft-exchange-server-attacks-china.md'

describe('npm run build with content that must be rejected', () => {
  it('reports every problem as file: field: message, exits 1, and leaves the previous store untouched', async () => {
    const root = mkdtempSync(join(tmpdir(), 'newswire-build-'))
    cpSync(join(ROOT, 'content'), join(root, 'content'), { recursive: true })
    cpSync(join(ROOT, 'feeds'), join(root, 'feeds'), { recursive: true })
    const out = join(root, 'out')
    expect((await build(root, out)).code).toBe(0)
    const index = join(out, 'generated/index.json')
    const before = readFileSync(index)
    const stamp = statSync(index).mtimeMs

    const seed = readFileSync(join(root, SEED), 'utf8')
    writeFileSync(join(root, 'content/articles/twin.md'), seed.replace(/slug: .*/, 'slug: twin'))
    writeFileSync(
      join(root, 'content/articles/bad-date.md'),
      seed
        .replace(/^id: .*/m, 'id: urn:uuid:00000000-0000-4000-8000-0000000000aa')
        .replace(/slug: .*/, 'slug: bad-date')
        .replace(/published: .*/, 'published: 2021-02-30T00:00:00Z'),
    )
    writeFileSync(
      join(root, 'content/articles/not-utf8.md'),
      Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xc3, 0x28, 0x0a]),
    )
    writeFileSync(join(root, 'content/authors/list.yaml'), '- a\n- b\n')
    writeFileSync(
      join(root, 'content/authors/bomb.yaml'),
      `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n${Array.from(
        { length: 12 },
        (_, i) =>
          `l${i}: &l${i} [${Array(9)
            .fill(i ? `*l${i - 1}` : '*a')
            .join(',')}]`,
      ).join('\n')}\n`,
    )
    writeFileSync(
      join(root, 'feeds/broken.yaml'),
      'title: Broken\ndescription: D\ncategories: [nowhere]\n',
    )

    const { code, stderr } = await build(root, out)
    expect(code).toBe(1)
    const lines = stderr.split('\n')
    for (const expected of [
      'content/articles/twin.md: id: duplicates the id of content/articles/microsoft-exchange-server-attacks-china.md',
      'content/articles/bad-date.md: published: must be an RFC 3339 date-time with a zone, got "2021-02-30T00:00:00Z"',
      'content/articles/not-utf8.md: (file): is not valid UTF-8; save it as UTF-8',
      'content/authors/list.yaml: (root): must be a mapping of fields, not a list',
      'feeds/broken.yaml: categories.0: names an unknown category "nowhere"',
      'nothing was published; the previous build is unchanged.',
    ]) {
      expect(lines, expected).toContain(expected)
    }
    expect(stderr).toMatch(
      /content\/authors\/bomb\.yaml: \(yaml\): is not valid YAML: Excessive alias count/,
    )
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(readFileSync(index).equals(before)).toBe(true)
    expect(statSync(index).mtimeMs).toBe(stamp)
  }, 60_000)
})
