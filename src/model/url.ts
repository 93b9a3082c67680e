/** Whether `value` parses as a URL (against `base` when given); `URL.canParse` without the types gap. */
export function isUrl(value: string, base?: string): boolean {
  try {
    new URL(value, base)
    return true
  } catch {
    // The URL constructor throws a TypeError for anything unparsable: that is the answer.
    return false
  }
}
