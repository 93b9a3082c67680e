import { beforeAll, describe, expect, it } from 'vitest'
import { appFor } from '../helpers/app'
import { articleFile, contentFiles } from '../helpers/content'

const HOSTILE = contentFiles({
  'content/articles/engines.md': articleFile(
    {
      title: '"<script>alert(1)</script> & <b>bold</b>"',
      summary: '"<img src=x onerror=alert(2)>"',
      tags: '["<i>tag</i>"]',
    },
    'Body <script>alert(3)</script> with <a href="javascript:alert(4)">a link</a>.',
  ),
})

let get: Awaited<ReturnType<typeof appFor>>['get']

beforeAll(async () => {
  ;({ get } = await appFor(HOSTILE))
})

describe('HTML pages', () => {
  it.each(['/', '/categories/science/', '/tags/i-tag-i/', '/articles/engines/'])(
    '%s shows hostile text as text',
    async (path) => {
      const response = await get(path)
      expect(response.status).toBe(200)
      const html = await response.text()
      expect(html).not.toMatch(/<script>alert|<img src=x|<b>bold|href="javascript:/)
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
      // Only our own script, nothing inline.
      expect(html.match(/<script/g)).toEqual(['<script'])
      expect(html).toContain('<script src="/assets/site.js" defer></script>')
    },
  )

  it('sends a strict Content-Security-Policy and the security headers', async () => {
    const response = await get('/')
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https: data:; media-src 'self' https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
  })

  it('declares the language and a viewport for phones', async () => {
    const html = await (await get('/')).text()
    expect(html).toMatch(/^<!doctype html>\n<html lang="en-US">/)
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">')
  })
})
