import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeText } from '../../src/migrate/decode'
import { DEFAULT_LIMITS } from '../../src/migrate/fetch'
import { readSource } from '../../src/migrate/read'

const REAL = join(import.meta.dirname, '../../../shared/real-world')
const DIR = mkdtempSync(join(tmpdir(), 'migrate-reading-'))

/** Writes `bytes` to a file of its own and reads it as the command does. */
function read(name: string, ...bytes: (Buffer | number[])[]) {
  const path = join(DIR, name)
  writeFileSync(path, Buffer.concat(bytes.map((b) => Buffer.from(b))))
  return readSource(path, '+00:00', { limits: DEFAULT_LIMITS, budget: { bytes: 0 } })
}

const ascii = (text: string) => Buffer.from(text, 'latin1')

/** The text of an RSS document around its one item's title. */
const around = (declaration: string) => [
  `${declaration}<rss version="2.0"><channel><title>T</title><link>https://x.example/</link>
<item><guid>g1</guid><title>`,
  `</title><link>https://x.example/a</link>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>Body</description></item>
</channel></rss>
`,
]

/** An RSS document whose one item's title is `title` (bytes already encoded). */
const rss = (declaration: string, title: number[] | Buffer) => {
  const [before = '', after = ''] = around(declaration)
  return [ascii(before), title, ascii(after)]
}

// Hand-encoded: windows-1251 puts А–я at 0xC0–0xFF; GB2312 (EUC-CN) gives each character two
// bytes, both with the high bit set.
const PRIVET_1251 = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2] // Привет
const ZHONGWEN_XINWEN_GB2312 = [0xd6, 0xd0, 0xce, 0xc4, 0xd0, 0xc2, 0xce, 0xc5] // 中文新闻

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

describe('reading a source in any encoding', () => {
  it('keeps the accented Portuguese of an ISO-8859-1 feed (declared in its XML declaration)', async () => {
    const source = await readSource(join(REAL, 'jn-pt-iso-8859-1.rss'), '+00:00', {
      limits: DEFAULT_LIMITS,
      budget: { bytes: 0 },
    })
    expect(source.problems).toEqual([])
    expect(source.title).toBe('Jornal de Notícias - Últimas Notícias')
    const titles = source.items.map((item) => item.title)
    expect(titles).toHaveLength(40)
    expect(titles).toContain('Reações dos partidos ao veto de Marcelo')
    expect(titles).toContain('Tempestade Eleanor atinge França, Alemanha, Suíça e Reino Unido')
    expect(titles.join('')).not.toContain('\ufffd')
  })

  it('decodes windows-1251 and GB2312 by their declarations', async () => {
    const cyrillic = await read(
      'cyrillic.rss',
      ...rss('<?xml version="1.0" encoding="windows-1251"?>\n', PRIVET_1251),
    )
    expect(cyrillic.problems).toEqual([])
    expect(cyrillic.items.map((item) => item.title)).toEqual(['Привет'])
    const chinese = await read(
      'chinese.rss',
      ...rss("<?xml version='1.0' encoding='gb2312'?>\n", ZHONGWEN_XINWEN_GB2312),
    )
    expect(chinese.problems).toEqual([])
    expect(chinese.items.map((item) => item.title)).toEqual(['中文新闻'])
  })

  it('decodes UTF-16 by its byte order mark, little- and big-endian', async () => {
    const [before, after] = around('<?xml version="1.0" encoding="UTF-16"?>\n')
    const document = `${before}Ελληνικά${after}`
    const le = Buffer.from(document, 'utf16le')
    const be = Buffer.from(le).swap16()
    for (const [name, bytes] of [
      ['le.rss', [Buffer.from([0xff, 0xfe]), le]],
      ['be.rss', [Buffer.from([0xfe, 0xff]), be]],
    ] as const) {
      const source = await read(name, ...bytes)
      expect(source.problems, name).toEqual([])
      expect(
        source.items.map((item) => item.title),
        name,
      ).toEqual(['Ελληνικά'])
    }
  })

  it('streams a WordPress export in UTF-16 as it streams one in UTF-8', async () => {
    const wxr = `<?xml version="1.0" encoding="UTF-16"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Блог</title><link>https://old.example.ru</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Привет</title><link>https://old.example.ru/privet/</link><guid>https://old.example.ru/?p=1</guid>
<content:encoded><![CDATA[<p>Текст.</p>]]></content:encoded><wp:post_id>1</wp:post_id>
<wp:post_date_gmt>2026-03-02 10:00:00</wp:post_date_gmt><wp:post_name>privet</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
`
    const source = await read('export-utf16.xml', [0xff, 0xfe], Buffer.from(wxr, 'utf16le'))
    expect(source.problems).toEqual([])
    expect(source.wordpress).toEqual({ base: 'https://old.example.ru' })
    expect(source.title).toBe('Блог')
    expect(source.items.map((item) => [item.title, item.body.text()])).toEqual([
      ['Привет', 'Текст.\n'],
    ])
  })

  it('puts the byte order mark before the declaration, and a JSON Feed is UTF-8 with or without one', async () => {
    // The BOM says UTF-8; the declaration's windows-1251 is not what the bytes are.
    const bom = await read(
      'bom.rss',
      [0xef, 0xbb, 0xbf],
      ...rss('<?xml version="1.0" encoding="windows-1251"?>\n', Buffer.from('Привет', 'utf8')),
    )
    expect(bom.items.map((item) => item.title)).toEqual(['Привет'])
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Café',
      items: [
        {
          id: '1',
          title: 'Crème brûlée',
          content_text: 'x',
          date_published: '2026-03-02T10:00:00Z',
        },
      ],
    })
    for (const prefix of [[], [0xef, 0xbb, 0xbf]]) {
      const feed = await read('feed.json', prefix, Buffer.from(json, 'utf8'))
      expect(feed.problems).toEqual([])
      expect(feed.items.map((item) => item.title)).toEqual(['Crème brûlée'])
    }
  })

  it('decodes the same whatever chunks a stream arrives in, a character split across them', async () => {
    const bytes = Buffer.concat(
      [
        ...rss('<?xml version="1.0" encoding="gb2312"?>\n', ZHONGWEN_XINWEN_GB2312),
        ...rss(
          '',
          PRIVET_1251.map(() => 0x41),
        ),
      ].map((b) => Buffer.from(b)),
    )
    const whole = await decodeText(chunksOf(bytes, bytes.length), 'x.xml', { warnings: [] })
    expect(whole).toContain('<title>中文新闻</title>')
    for (const size of [1, 2, 3, 5, 1023, 1025])
      expect(await decodeText(chunksOf(bytes, size), 'x.xml', { warnings: [] }), `${size}`).toBe(
        whole,
      )
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('a\nβ\n𝄞 é\n'.repeat(300), 'utf16le'),
    ])
    for (const size of [1, 3, 7, 1000])
      expect(await decodeText(chunksOf(utf16, size), 'y.xml', { warnings: [] }), `${size}`).toBe(
        'a\nβ\n𝄞 é\n'.repeat(300),
      )
  })

  it('reports an undecodable byte at its line and column, never a U+FFFD', async () => {
    const utf8 = await read(
      'bad.rss',
      ascii('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n<channel><title>Caf'),
      [0xe9, 0x20, 0x21],
      ascii('</title></channel></rss>\n'),
    )
    expect(utf8.problems).toEqual([
      {
        where: 'bad.rss:3:20',
        message:
          'the bytes E9 20 (at byte 78) are not utf-8, the encoding the XML declaration gives',
      },
    ])
    // A character whose bytes the file ends in the middle of.
    const cut = await read('cut.rss', ascii('<rss>\n<channel><title>'), [0xe2, 0x82])
    expect(cut.problems).toEqual([
      {
        where: 'cut.rss:2:17',
        message:
          'the bytes E2 82 (at byte 22) are not utf-8, the encoding the default (UTF-8) gives',
      },
    ])
    // gb2312 (GBK): 0xFF is no lead byte (Node's own decoder drops it silently); found in a
    // stream of one-byte chunks too.
    const bytes = Buffer.concat([ascii('<rss>\n\n<channel>ab'), Buffer.from([0xd6, 0xd0, 0xff])])
    await expect(
      decodeText(chunksOf(bytes, 1), 'gbk.xml', { warnings: [], charset: 'gb2312' }),
    ).rejects.toThrow(
      'gbk.xml:3:13: the bytes FF (at byte 20) are not gbk, the encoding the HTTP charset gives',
    )
  })

  it('refuses an encoding the WHATWG Encoding Standard does not name', async () => {
    const source = await read(
      'klingon.rss',
      ...rss('<?xml version="1.0" encoding="x-klingon"?>\n', [0x41]),
    )
    expect(source.problems).toEqual([
      {
        where: 'klingon.rss:1:31',
        message:
          'the XML declaration names the encoding "x-klingon", which the WHATWG Encoding Standard does not know',
      },
    ])
  })
})

describe('reading a document that is not well-formed', () => {
  it('accepts whitespace before the XML declaration, with a warning (TechCrunch through FeedBurner)', async () => {
    const source = await readSource(join(REAL, 'techcrunch-feedburner.xml'), '+00:00', {
      limits: DEFAULT_LIMITS,
      budget: { bytes: 0 },
    })
    expect(source.problems).toEqual([])
    expect(source.items).toHaveLength(20)
    expect(source.warnings).toEqual([
      {
        where: 'techcrunch-feedburner.xml:2:1',
        message:
          'whitespace comes before the XML declaration (XML 1.0 §2.8 allows none there): read as if the declaration were not there',
      },
    ])
  })

  it('reports every character XML 1.0 §2.2 does not allow, raw or as a reference, where it is', async () => {
    const source = await read(
      'chars.rss',
      ascii(
        '<rss version="2.0"><channel><title>a\u0001b</title>\n' +
          '<description>page\u000cbreak &#1; &#x0C; &#x1F600; &#233;</description>\n' +
          '<item><title><![CDATA[&#1; is text here]]></title><!-- &#2; too --></item>\n' +
          '</channel></rss>\n',
      ),
    )
    expect(source.problems).toEqual([
      {
        where: 'chars.rss:1:37',
        message: 'the character U+0001 is not allowed in XML (XML 1.0 §2.2)',
      },
      {
        where: 'chars.rss:2:18',
        message: 'the character U+000C is not allowed in XML (XML 1.0 §2.2)',
      },
      {
        where: 'chars.rss:2:25',
        message:
          'the character reference &#1; (U+0001) names a character XML does not allow (XML 1.0 §2.2, §4.1)',
      },
      {
        where: 'chars.rss:2:30',
        message:
          'the character reference &#x0C; (U+000C) names a character XML does not allow (XML 1.0 §2.2, §4.1)',
      },
    ])
  })

  it('says where a cut feed ends and what is open there, in plain words', async () => {
    const lines = [
      '<?xml version="1.0"?>',
      '<rss version="2.0">',
      '  <channel>',
      '    <title>T</title>',
      '    <item>',
      '      <title>One</title>',
      '    </item>',
      '    <item>',
      '      <title>Two</title>',
      '      <description>Half a',
    ]
    const element = await read('cut.xml', ascii(lines.join('\n')))
    expect(element.problems).toEqual([
      {
        where: 'cut.xml:10:26',
        message: 'the document ends inside <description> opened at 10:7: it is cut short',
      },
    ])
    const cdata = await read(
      'cdata.xml',
      ascii(`${lines.slice(0, 9).join('\n')}\n  <description><![CDATA[<p>Half`),
    )
    expect(cdata.problems).toEqual([
      {
        where: 'cdata.xml:10:32',
        message: 'the document ends inside a CDATA section opened at 10:16: it is cut short',
      },
    ])
    const tag = await read('tag.xml', ascii(`${lines.slice(0, 8).join('\n')}\n      <link href="x`))
    expect(tag.problems).toEqual([
      {
        where: 'tag.xml:9:20',
        message: 'the document ends inside the tag <link opened at 9:7: it is cut short',
      },
    ])
  })

  it('reports a WordPress export cut inside an item as a problem, not a thrown error', async () => {
    const source = await read(
      'export.xml',
      ascii(
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
          '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n' +
          '<channel><wp:wxr_version>1.2</wp:wxr_version>\n' +
          '  <item><title>Cut</title><content:encoded><![CDATA[<p>Half',
      ),
    )
    expect(source.problems).toEqual([
      {
        where: 'export.xml:4:60',
        message: 'the document ends inside a CDATA section opened at 4:44: it is cut short',
      },
    ])
  })

  it('places a problem of the channel around a WordPress export’s items at its line in the export', async () => {
    const source = await read(
      'channel.xml',
      ascii(
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
          '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n' +
          '<channel><wp:wxr_version>1.2</wp:wxr_version>\n' +
          '  <item><title>A</title></item>\n' +
          '  <item><title>B</title></item>\n' +
          '  <title>Site &#1;</title>\n' +
          '</channel>\n',
      ),
    )
    expect(source.problems).toEqual([
      {
        where: 'channel.xml:6:15',
        message:
          'the character reference &#1; (U+0001) names a character XML does not allow (XML 1.0 §2.2, §4.1)',
      },
    ])
    const cut = await read(
      'channel-cut.xml',
      ascii(
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n' +
          '<channel><wp:wxr_version>1.2</wp:wxr_version>\n' +
          '  <item><title>A</title></item>\n',
      ),
    )
    expect(cut.problems).toEqual([
      {
        where: 'channel-cut.xml:4:1',
        message: 'the document ends inside <channel> opened at 2:1: it is cut short',
      },
    ])
  })
})
