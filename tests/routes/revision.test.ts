import { describe, expect, it } from 'vitest'
import { hash64 } from '../../src/model/hash'
import { buildRevision } from '../../src/routes/revision'

describe('buildRevision', () => {
  const base = { build: 'b1', head: 'h1', content: ['r1', 3] }

  it('hashes the declared parts in order, an absent part as empty', () => {
    expect(buildRevision(base)).toBe(hash64('b1|h1|r1|3'))
    expect(buildRevision({ ...base, content: ['r1', undefined] })).toBe(hash64('b1|h1|r1|'))
  })

  it.each([
    ['build', { ...base, build: 'b2' }],
    ['head', { ...base, head: 'h2' }],
    ['content', { ...base, content: ['r2', 3] }],
    ['the day', { ...base, content: ['r1', 4] }],
  ])('changes when %s does', (_, changed) => {
    expect(buildRevision(changed)).not.toBe(buildRevision(base))
  })
})
