import { escapeAttr } from '../escape'

/** HTML that is already safe and must not be escaped again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

type Interpolation =
  | SafeHtml
  | string
  | number
  | undefined
  | null
  | false
  | readonly Interpolation[]

function interpolate(value: Interpolation): string {
  if (value === undefined || value === null || value === false) return ''
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(interpolate).join('')
  // Attribute escaping is also correct in text and covers both contexts a value can land in.
  return escapeAttr(String(value))
}

/** A tagged template that escapes every interpolated value unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, index) => {
    out += interpolate(value) + (strings[index + 1] ?? '')
  })
  return new SafeHtml(out)
}

/** Marks sanitised HTML (an article body) as safe to insert. */
export function trusted(value: string): SafeHtml {
  return new SafeHtml(value)
}
