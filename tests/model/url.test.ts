import { describe, expect, it } from 'vitest'
import { absoluteUrl } from '../../src/model/url'

describe('absoluteUrl', () => {
  it('resolves against the base and percent-encodes what RFC 3986 forbids raw', () => {
    expect(absoluteUrl('img/a|b[1]^.jpg?q={x}#`f`', 'https://News.Test:443/articles/x/')).toBe(
      'https://news.test/articles/x/img/a%7Cb%5B1%5D%5E.jpg?q=%7Bx%7D#%60f%60',
    )
  })

  it('leaves other schemes as the URL parser writes them', () => {
    expect(absoluteUrl('mailto:desk@news.test')).toBe('mailto:desk@news.test')
  })

  it('keeps the port of a non-default origin', () => {
    expect(absoluteUrl('/rss.xml', 'http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/rss.xml')
  })
})
