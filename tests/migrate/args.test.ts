import { describe, expect, it } from 'vitest'
import { readArgs, UsageError } from '../../scripts/args'

describe('readArgs', () => {
  it('reads values, flags and the other words', () => {
    const args = readArgs(['root'], ['dry-run'], ['a.xml', '--root', '/tmp/x', '--dry-run', 'b'])
    expect(args.value('root')).toBe('/tmp/x')
    expect(args.flag('dry-run')).toBe(true)
    expect(args.positionals).toEqual(['a.xml', 'b'])
  })

  it('leaves an option not given undefined and a flag not given false', () => {
    const args = readArgs(['root'], ['dry-run'], [])
    expect(args.value('root')).toBeUndefined()
    expect(args.flag('dry-run')).toBe(false)
  })

  it.each([
    [['--bogus'], /--bogus/],
    [['--root'], /--root/],
  ])('refuses %j with a UsageError naming the option', (argv, message) => {
    expect(() => readArgs(['root'], [], argv)).toThrow(UsageError)
    expect(() => readArgs(['root'], [], argv)).toThrow(message)
  })
})
