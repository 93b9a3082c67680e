import type { Article, Attachment } from '../../model/types'
import { html, type SafeHtml } from './template'

const UNITS = ['bytes', 'KB', 'MB', 'GB']

// A size for people (`4.2 MB`), in the decimal units download dialogs use.
function formatSize(bytes: number): string {
  let size = bytes
  let unit = 0
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000
    unit += 1
  }
  return `${unit === 0 ? size : size.toFixed(1)} ${UNITS[unit]}`
}

// `1:02:03` or `4:05` (hours only when there are any).
function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

function describe(file: Attachment): string {
  const details = [
    file.type,
    file.duration !== undefined ? formatDuration(file.duration) : undefined,
    file.length ? formatSize(file.length) : undefined,
  ]
  return details.filter(Boolean).join(', ')
}

// Audio and video play in the page (the CSP's media-src allows https:); any other file, and
// a browser that plays neither, gets the download link.
function renderAttachment(file: Attachment): SafeHtml {
  const name = file.title ?? file.url.split('/').pop() ?? file.url
  const link = html`<a href="${file.url}" type="${file.type}" download>${name}</a> (${describe(file)})`
  const kind = file.type.slice(0, file.type.indexOf('/'))
  if (kind !== 'audio' && kind !== 'video') return html`<li>${link}</li>`
  const player =
    kind === 'audio'
      ? html`<audio controls preload="none" src="${file.url}"></audio>`
      : html`<video controls preload="none" src="${file.url}"></video>`
  return html`<li><figure>${player}<figcaption>${link}</figcaption></figure></li>`
}

/** The article's attachments: a player for audio and video, a download link for each. */
export function renderAttachments(article: Article): SafeHtml | '' {
  const files = article.attachments ?? []
  if (files.length === 0) return ''
  return html`<section class="attachments" aria-label="Attachments"><ul>${files.map(renderAttachment)}</ul></section>
`
}
