import type { ContentFiles } from '../../src/content/load'
import { articleFile, CATEGORIES_YAML, contentFiles } from './content'

const C0_CODES = Array.from({ length: 32 }, (_, i) => i).filter(
  (i) => i !== 9 && i !== 10 && i !== 13,
)

let n = 0
function id(): string {
  n += 1
  return `urn:uuid:ba5eba11-0000-4000-8000-${String(n).padStart(12, '0')}`
}

/**
 * The hostile articles, each named after what it tries to break. Every one of them is valid
 * content: it must load, and every feed that holds it must stay well-formed and valid.
 */
export const HOSTILE_ARTICLES: Record<string, string> = {
  // C0 controls in front matter are refused by the build (tests/content/real-content.test.ts);
  // in the body, and U+FFFE/U+FFFF anywhere, they are removed.
  'control-characters': articleFile(
    { id: id(), title: '"Noncharacters \\uFFFE\\uFFFF gone"', summary: '"Tab\\tkept"' },
    `Body with ${String.fromCharCode(...C0_CODES)} controls inside.`,
  ),
  'cdata-terminators': articleFile(
    {
      id: id(),
      title: '"Ends ]]> early ]]> twice"',
      summary: '"]]> in the summary ]]>"',
      image: '{ url: "/img/a]]>b.jpg", alt: "alt ]]> text", credit: "credit ]]>" }',
    },
    'Body ]]> once and ]]> twice, and [a link](/x?q=]]>) and <a title="]]>">an attribute</a>.',
  ),
  'script-injection': articleFile(
    {
      id: id(),
      title: '"<script>alert(1)</script> headline"',
      summary: '"<img src=x onerror=alert(1)>"',
    },
    [
      '[click](javascript:alert(1)) and [data](data:text/html,<script>alert(1)</script>)',
      '',
      '<script>alert(2)</script><iframe src="https://evil.test"></iframe><object data="x.swf"></object>',
      '',
      '<img src="/i.png" onerror="alert(3)"><a href="JaVaScRiPt:alert(4)" onclick="x()">link</a><svg onload="alert(5)"><circle/></svg>',
      '',
      '<p style="background:url(javascript:alert(6))">styled</p><form action="/steal"><input name="x"></form>',
    ].join('\n'),
  ),
  'entity-bomb': articleFile(
    { id: id(), title: '"&amp;amp;amp; &lt;not a tag&gt; &#x26;"' },
    `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n\n&lol2; ${'&amp;'.repeat(10_000)} &#0; &#xD800; &#x110000; &unknownentity;`,
  ),
  'huge-body': articleFile(
    { id: id(), title: '"A one-megabyte body"' },
    Array.from(
      { length: 1800 },
      (_, i) => `Paragraph ${i} ${'lorem ipsum dolor sit amet & co '.repeat(18)}`,
    ).join('\n\n'),
  ),
  'long-title': articleFile({
    id: id(),
    title: `"${'Very long headline '.repeat(527).slice(0, 10_000)}"`,
  }),
  'empty-summary': articleFile(
    { id: id(), title: 'No summary given', summary: '""' },
    '## A heading first\n\nThe first real paragraph becomes the summary.',
  ),
  'rtl-and-combining': articleFile(
    {
      id: id(),
      title: '"مرحبا \u202Eevil\u202C שלום Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫgͯ̽ò̟ͦ e\u0301"',
      summary: '"עברית and عربى with \u200F marks"',
    },
    'Text with \u202Eright-to-left override\u202C and combining a\u0308\u0301.',
  ),
  'emoji-and-astral': articleFile(
    {
      id: id(),
      slug: '🚀-launch-ü',
      title: '"Launch 🚀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍💻"',
      author: 'zoë',
      categories: '[science, été]',
      tags: '["🚀 Launch", "👩‍💻", "𝔘𝔫𝔦"]',
    },
    'Astral 𝄞 music and 🧪 emoji.',
  ),
  'relative-urls': articleFile(
    {
      id: id(),
      title: 'Relative links',
      image:
        '{ url: "//cdn.test/pic.jpg", alt: "A picture", credit: "Someone", width: 800, height: 600, type: "image/jpeg", length: 12345 }',
    },
    '[up](../other/) [root](/about) [proto](//elsewhere.test/x) ![img](pics/a.png) <a href="?q=1">query</a>',
  ),
  'epoch-date': articleFile({ id: id(), title: 'At the epoch', published: '1970-01-01T00:00:00Z' }),
  // Scheduled as far ahead as an article may be: in no feed, page or count until then.
  'far-future-date': articleFile({
    id: id(),
    title: 'Far future',
    published: '2027-12-01T00:00:00Z',
  }),
  'odd-time-zones': articleFile({
    id: id(),
    title: 'Kiritimati time',
    published: '2026-01-01T00:30:00+14:00',
    updated: '2026-01-01T12:45:00+05:45',
  }),
  'minus-twelve': articleFile({
    id: id(),
    title: 'Baker Island time',
    published: '2025-12-31T23:59:59-12:00',
  }),
}

/** The content tree holding every hostile article, with the authors and categories they use. */
export function hostileContent(): ContentFiles {
  return contentFiles({
    'content/categories.yaml': `${CATEGORIES_YAML}- slug: été\n  name: Été ☀️\n  description: Summer <things> & more.\n`,
    'content/authors/zoë.yaml':
      'name: "Zoë \\u202Eünïcode 👩‍💻"\nbio: "Writes <em>everything</em> & more."\n',
    'feeds/everything-odd.yaml':
      'title: "Odd & <curated>"\ndescription: Everything hostile.\ncategories: [été]\ntags: ["🚀 Launch"]\n',
    ...Object.fromEntries(
      Object.entries(HOSTILE_ARTICLES).map(([name, text]) => [`content/articles/${name}.md`, text]),
    ),
  })
}
