import { describe, expect, it } from 'vitest'
import { atomIdOf, idProblem } from '../../src/model/id'

describe('article ids', () => {
  it('keep the GUID a moved-in article had, whatever its form', () => {
    for (const id of [
      'urn:uuid:86fbbfd7-e596-4aeb-98e4-32c06584ba43',
      'https://www.example.com/?p=123',
      'tag:example.com,2005:post-1',
      'post-123',
      'Ünïcode guid 東京',
    ])
      expect(idProblem(id), id).toBeUndefined()
  })

  it('refuse empty ids, control characters, outer spaces, and a malformed urn:uuid:', () => {
    expect(idProblem('')).toBe('must not be empty')
    expect(idProblem('a\tb')).toBe('must not contain control characters')
    expect(idProblem(' post-1')).toBe('must not start or end with spaces')
    expect(idProblem('x'.repeat(1025))).toBe('must be at most 1024 characters')
    expect(idProblem('urn:uuid:NOT-A-UUID')).toMatch(/lowercase urn:uuid:/)
  })

  it('go into Atom verbatim when they are absolute IRIs (RFC 4287 §4.2.6), else under urn:newswire:guid:', () => {
    expect(atomIdOf('https://www.example.com/?p=123')).toBe('https://www.example.com/?p=123')
    expect(atomIdOf('tag:example.com,2005:post-1')).toBe('tag:example.com,2005:post-1')
    expect(atomIdOf('https://例え.jp/記事/1')).toBe('https://例え.jp/記事/1')
    expect(atomIdOf('post-123')).toBe('urn:newswire:guid:post-123')
    expect(atomIdOf('a guid with spaces')).toBe('urn:newswire:guid:a%20guid%20with%20spaces')
    expect(atomIdOf('http://x.test/<b>')).toBe('urn:newswire:guid:http%3A%2F%2Fx.test%2F%3Cb%3E')
  })
})
