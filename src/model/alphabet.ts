/**
 * Long lists of names in the order and under the letters a reader of the site's language
 * expects: sorted by a real collation (Intl.Collator: "Été" beside "Etc", numbers by value),
 * each under the letter it starts with, accents and case aside. Scripts without an alphabet
 * in that sense get one heading each (Han, kana); Hangul goes by its initial consonant; what
 * starts with no letter (digits, emoji, punctuation) goes under "#".
 */

/** A name in an alphabetical list, with the letter it is listed under. */
export interface Lettered<T> {
  item: T
  name: string
  letter: string
}

const collators = new Map<string, Intl.Collator>()
const segmenters = new Map<string, Intl.Segmenter>()

function collatorOf(language: string): Intl.Collator {
  let collator = collators.get(language)
  if (!collator) {
    collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true })
    collators.set(language, collator)
  }
  return collator
}

function firstGrapheme(name: string, language: string): string {
  let segmenter = segmenters.get(language)
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'grapheme' })
    segmenters.set(language, segmenter)
  }
  for (const { segment } of segmenter.segment(name.trim())) return segment
  return ''
}

/** The heading a name is listed under. */
export function letterOf(name: string, language: string): string {
  const first = firstGrapheme(name, language)
  if (/\p{Script=Han}/u.test(first)) return '漢'
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(first)) return 'かな'
  // A Hangul syllable decomposes (NFD) into its jamo: the first is its initial consonant.
  const base = first.normalize('NFD').replace(/\p{M}/gu, '')
  const letter = base.slice(0, /\p{Script=Hangul}/u.test(base) ? 1 : undefined)
  return /\p{L}/u.test(letter) ? letter.toLocaleUpperCase(language) : '#'
}

const ASCII = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ']

// A Latin letter that no accent removal reaches (Ø, Ł, Đ) is listed under the basic letter the
// collation holds it equal to, when there is one.
function basicLetter(letter: string, collator: Intl.Collator): string {
  if (!/^\p{Script=Latin}$/u.test(letter) || /^[A-Z]$/.test(letter)) return letter
  return ASCII.find((basic) => collator.compare(letter, basic) === 0) ?? letter
}

/** `items` in the collation order of `language`, each with its letter. */
export function alphabetize<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  language: string,
): Lettered<T>[] {
  const collator = collatorOf(language)
  let previous = ''
  return items
    .map((item) => ({ item, name: nameOf(item) }))
    .sort((a, b) => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : 1))
    .map(({ item, name }) => {
      // A letter the collation holds equal to the one before (Ø after O) joins its group.
      const letter = basicLetter(letterOf(name, language), collator)
      if (!previous || collator.compare(letter, previous) !== 0) previous = letter
      return { item, name, letter: previous }
    })
}

/** Text as a filter compares it: case, accents and spacing aside. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
}
