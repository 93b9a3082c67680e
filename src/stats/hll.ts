/**
 * HyperLogLog (Flajolet et al. 2007, with the small-range correction of linear counting): how
 * many distinct clients a feed saw in a day, from registers that keep only the longest run of
 * leading zero bits seen per bucket. A register says nothing about who it came from; two
 * isolates' registers merge by taking the larger rank, so concurrent writers need no order.
 */

/** 2^10 registers: a standard error of 1.04/√1024, about 3.3%; exact-ish for small counts. */
export const PRECISION = 10
export const REGISTERS = 1 << PRECISION

/** The register a 64-bit hash falls in, and its rank (leading zeros of the rest, plus one). */
export function registerOf(hash: Uint8Array): { register: number; rank: number } {
  const high =
    ((hash[0] as number) << 24) |
    ((hash[1] as number) << 16) |
    ((hash[2] as number) << 8) |
    (hash[3] as number)
  const low =
    ((hash[4] as number) << 24) |
    ((hash[5] as number) << 16) |
    ((hash[6] as number) << 8) |
    (hash[7] as number)
  const register = high >>> (32 - PRECISION)
  // The remaining 54 bits: 22 of the high word, then the low word.
  const rest = (high << PRECISION) >>> 0
  const zeros = rest === 0 ? 22 + Math.clz32(low >>> 0) : Math.clz32(rest)
  return { register, rank: Math.min(zeros, 54) + 1 }
}

/**
 * The estimated number of distinct values, from how many registers were written and the sum
 * of their weights (2^-rank); a register never written is 0: it adds 2^0 and counts as empty.
 */
export function estimate(written: number, weights: number): number {
  const m = REGISTERS
  const alpha = 0.7213 / (1 + 1.079 / m)
  const zeros = m - written
  const raw = (alpha * m * m) / (zeros + weights)
  // Small range: linear counting is exact-ish while registers stay empty.
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros))
  return Math.round(raw)
}
