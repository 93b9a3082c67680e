import { describe, expect, it } from 'vitest'
import { formatBlock, mergeResults, readBlocks } from '../../bench/results-file'

const OLD = `# Benchmark results

old header

<!-- bench:render -->
_From the run of 2026-12-03 (\`npm run bench\`), before this change._

### Render

| task | median |
| --- | ---: |
| feed@6 | 5.65 ms |

Targets:

| target | measured | |
| --- | --- | --- |
| RSS ≥ 5× | 3.7× | **not met** |
<!-- /bench:render -->

<!-- bench:scaling -->
_From the run of 2026-12-03 (\`npm run bench\`), before this change._

| target | measured | |
| --- | --- | --- |
| 100k within 1.5× | 1.14× the 1k time | met |
<!-- /bench:scaling -->

<!-- load:start -->
## Load
1,396 req/s
<!-- load:end -->
`

describe('mergeResults', () => {
  const fresh = {
    name: 'scaling',
    provenance: 'From `npm run bench -- --only=scaling` on 2026-12-07',
    sections: ['### Scaling', '', '| task | median |', ''],
    verdicts: [{ target: '100k within 1.5×', measured: '100k ÷ 1k = 0.87×: faster', met: true }],
  }
  const merged = mergeResults(OLD, [fresh], ['render', 'scaling', 'newsroom'], ['# Results', ''])

  it('replaces the block of a benchmark that ran and keeps the others word for word', () => {
    const blocks = readBlocks(merged)
    expect([...blocks.keys()]).toEqual(['render', 'scaling'])
    expect(blocks.get('render')).toBe(readBlocks(OLD).get('render'))
    expect(blocks.get('scaling')).toBe(formatBlock(fresh))
    expect(merged).not.toContain('1.14× the 1k time')
  })

  it('gathers every target with the run that measured it', () => {
    expect(merged).toContain(
      '| RSS ≥ 5× | 3.7× | **not met** | From the run of 2026-12-03 (`npm run bench`), before this change. |',
    )
    expect(merged).toContain(
      '| 100k within 1.5× | 100k ÷ 1k = 0.87×: faster | met | From `npm run bench -- --only=scaling` on 2026-12-07 |',
    )
  })

  it('starts with the new header and keeps the load section', () => {
    expect(merged.startsWith('# Results\n')).toBe(true)
    expect(merged).not.toContain('old header')
    expect(merged).toContain('<!-- load:start -->\n## Load\n1,396 req/s\n<!-- load:end -->')
  })
})

describe('an inconclusive target', () => {
  it('is gathered with its reason', () => {
    const block = {
      name: 'render',
      provenance: 'From a run',
      sections: [],
      verdicts: [{ target: 'RSS ≥ 5×', measured: '9.4×', met: false, inconclusive: 'noise' }],
    }
    expect(mergeResults('', [block], ['render'], [])).toContain(
      '| RSS ≥ 5× | 9.4× | **inconclusive**: noise | From a run |',
    )
  })
})
