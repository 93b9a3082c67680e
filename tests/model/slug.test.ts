import { describe, expect, it } from 'vitest'
import { isSlug, SLUG_MAX_BYTES, slugify, slugProblem } from '../../src/model/slug'

const bytes = (value: string) => new TextEncoder().encode(value).byteLength

describe('slugify', () => {
  it.each([
    ['APT40', 'apt40'],
    ['Microsoft Exchange', 'microsoft-exchange'],
    ['Café', 'café'],
    ['Москва новости', 'москва-новости'],
  ])('turns %j into %j', (name, slug) => {
    expect(slugify(name)).toBe(slug)
  })

  it.each([
    ['zero width joiner U+200D', 'ab\u200Dcd', 'abcd'],
    ['zero width non-joiner U+200C', 'ab\u200Ccd', 'abcd'],
    ['left-to-right mark U+200E', '\u200Eabcd', 'abcd'],
    ['right-to-left mark U+200F', 'abcd\u200F', 'abcd'],
    ['right-to-left override U+202E', 'ab\u202Ecd', 'abcd'],
    ['left-to-right embedding U+202A', 'ab\u202Acd', 'abcd'],
    ['first strong isolate U+2068', 'ab\u2068cd\u2069', 'abcd'],
    ['soft hyphen U+00AD', 'ca\u00ADfé', 'café'],
    ['byte order mark U+FEFF', '\uFEFFabcd', 'abcd'],
    ['word joiner U+2060 (another Cf)', 'ab\u2060cd', 'abcd'],
    ['an emoji family joined by U+200D', '👨\u200D👩\u200D👧', '👨👩👧'],
  ])('drops the invisible %s', (_name, input, slug) => {
    expect(slugify(input)).toBe(slug)
  })

  it.each([
    ['con', 'con-1'],
    ['CON', 'con-1'],
    ['Prn', 'prn-1'],
    ['aux', 'aux-1'],
    ['NUL', 'nul-1'],
    ['com1', 'com1-1'],
    ['COM9', 'com9-1'],
    ['lpt0', 'lpt0-1'],
    ['com¹', 'com1-1'],
  ])('never writes the Windows device name %j as a whole slug: %j', (name, slug) => {
    expect(slugify(name)).toBe(slug)
  })

  it.each([
    ['con.txt', 'con-txt'],
    ['console', 'console'],
    ['com10', 'com10'],
    ['lpt', 'lpt'],
  ])('leaves %j alone: %j is no device name', (name, slug) => {
    expect(slugify(name)).toBe(slug)
  })

  it('cuts a long name at the last hyphen within 200 UTF-8 bytes', () => {
    // 40 words of five two-byte letters and a hyphen: 11 bytes each.
    const name = Array(40).fill('ééééé').join(' ')
    const slug = slugify(name)
    expect(SLUG_MAX_BYTES).toBe(200)
    expect(bytes(slug)).toBe(18 * 11 - 1)
    expect(slug).toBe(Array(18).fill('ééééé').join('-'))
  })

  it('cuts a name with no hyphen between code points, never inside one', () => {
    const slug = slugify('😀'.repeat(60))
    expect(slug).toBe('😀'.repeat(50))
    expect(bytes(slug)).toBe(200)
  })

  it('keeps a slug of exactly 200 bytes whole', () => {
    const name = 'a'.repeat(200)
    expect(slugify(name)).toBe(name)
  })
})

describe('slugProblem and isSlug', () => {
  it.each([['microsoft-exchange'], ['café'], ['con-1'], ['a'.repeat(200)]])(
    'accept %j',
    (value) => {
      expect(slugProblem(value)).toBeUndefined()
      expect(isSlug(value)).toBe(true)
    },
  )

  it.each([
    ['ab\u200Dcd', 'holds the invisible character U+200D'],
    ['\u00ADab', 'holds the invisible character U+00AD'],
    ['ab\u202Ecd', 'holds the invisible character U+202E'],
    ['a'.repeat(201), 'is 201 bytes in UTF-8; a slug has at most 200'],
    ['é'.repeat(101), 'is 202 bytes in UTF-8; a slug has at most 200'],
    ['con', 'is a device name Windows reserves ("con"); a slug becomes a file name, use "con-1"'],
    [
      'LPT3',
      'is a device name Windows reserves ("LPT3"); a slug becomes a file name, use "lpt3-1"',
    ],
    ['Exchange', 'must be lowercase words joined by "-", got "Exchange"'],
    ['a--b', 'must be lowercase words joined by "-", got "a--b"'],
  ])('refuse %j: %s', (value, problem) => {
    expect(slugProblem(value)).toBe(problem)
    expect(isSlug(value)).toBe(false)
  })
})
