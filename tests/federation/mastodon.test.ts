import { describe, expect, it } from 'vitest'
import { renderAccept, renderAnnounce, renderChange } from '../../src/federation/activities'
import { renderActor } from '../../src/federation/actor'
import { renderCollection, renderCollectionPage } from '../../src/federation/collections'
import { renderObject, renderTombstone } from '../../src/federation/object'
import { siteFeed } from '../../src/model/feeds'
import { makeArticle, makeSite, makeTag } from '../helpers/builders'

const ORIGIN = 'https://news.example'
const PEM = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n'
const site = makeSite({ icon: 'https://news.example/icon.png' })
const article = makeArticle({
  title: 'Engines & <gears>',
  summary: 'A summary.',
  contentHtml: '<p>Full <em>text</em>.</p>',
  tags: [makeTag(), makeTag({ slug: 'ai', name: 'Künstliche Intelligenz' })],
  image: {
    url: 'https://news.example/lead.jpg',
    alt: 'A steam engine',
    type: 'image/jpeg',
    width: 1200,
    height: 800,
  },
})
const actor = renderActor({
  origin: ORIGIN,
  site,
  feed: siteFeed(site),
  handle: 'site',
  publicKeyPem: PEM,
  newest: article,
})
const note = renderObject(article, { origin: ORIGIN, handle: 'site' })
const create = renderChange('Create', note, ORIGIN, 'site', article.published)

// Mastodon's documented requirements (docs.joinmastodon.org/spec/activitypub/ and
// /spec/security/), one line each, checked against what newswire sends.
describe("the actor against Mastodon's ActivityPub spec page", () => {
  it.each([
    [
      'type is one Mastodon takes as an account (Service shows as automated)',
      () => actor.type === 'Service',
    ],
    ['id is the actor URL', () => actor.id === `${ORIGIN}/ap/actors/site`],
    [
      'preferredUsername is a local username ([a-z0-9_])',
      () => /^[a-z0-9_]+$/.test(String(actor.preferredUsername)),
    ],
    [
      'inbox and outbox are URLs',
      () => actor.inbox === `${actor.id}/inbox` && actor.outbox === `${actor.id}/outbox`,
    ],
    [
      'followers and following collections',
      () =>
        actor.followers === `${actor.id}/followers` && actor.following === `${actor.id}/following`,
    ],
    [
      'endpoints.sharedInbox',
      () => (actor.endpoints as { sharedInbox: string }).sharedInbox === `${ORIGIN}/ap/inbox`,
    ],
    [
      'publicKey: id, owner = the actor, publicKeyPem',
      () => {
        const key = actor.publicKey as Record<string, string>
        return (
          key.id === `${actor.id}#main-key` && key.owner === actor.id && key.publicKeyPem === PEM
        )
      },
    ],
    ['name is the display name', () => actor.name === site.title],
    ['summary is HTML (the bio)', () => actor.summary === '<p>Tests, daily.</p>'],
    ['url is the profile page', () => actor.url === `${ORIGIN}/`],
    [
      'icon is an Image with a url (avatar)',
      () =>
        JSON.stringify(actor.icon) ===
        JSON.stringify({ type: 'Image', url: 'https://news.example/icon.png' }),
    ],
    [
      'image is an Image with a url (header)',
      () => (actor.image as { type: string; url: string }).url === 'https://news.example/lead.jpg',
    ],
    [
      'manuallyApprovesFollowers, discoverable, indexable are booleans',
      () =>
        actor.manuallyApprovesFollowers === false &&
        actor.discoverable === true &&
        actor.indexable === true,
    ],
    [
      'attachment holds PropertyValue profile fields with name and value',
      () =>
        (actor.attachment as { type: string; name: string; value: string }[]).every(
          (f) =>
            f.type === 'PropertyValue' &&
            f.name === 'Feed' &&
            f.value.startsWith('<a href="https://news.example/atom.xml"'),
        ),
    ],
  ])('%s', (_rule, holds) => {
    expect(holds()).toBe(true)
  })
})

describe("a story's Note against Mastodon's ActivityPub spec page", () => {
  const tags = note.tag as { type: string; href: string; name: string }[]
  const images = note.attachment as Record<string, unknown>[]
  it.each([
    ['type is Note: Mastodon shows its content in full', () => note.type === 'Note'],
    [
      'Create wraps it, from the actor it is attributedTo',
      () =>
        create.type === 'Create' && create.actor === note.attributedTo && create.object === note,
    ],
    [
      'public: to the Public collection, cc the followers',
      () =>
        JSON.stringify(note.to) === '["https://www.w3.org/ns/activitystreams#Public"]' &&
        JSON.stringify(note.cc) === `["${ORIGIN}/ap/actors/site/followers"]`,
    ],
    ['no summary: Mastodon would show it as a content warning', () => !('summary' in note)],
    ['sensitive is false: media are not hidden', () => note.sensitive === false],
    [
      'content: the title, escaped and linked to url',
      () =>
        String(note.content).startsWith(
          `<p><strong><a href="${article.url}">Engines &amp; &lt;gears&gt;</a></strong><br>`,
        ),
    ],
    [
      'content: the summary, then the full text',
      () => String(note.content).includes('<p>A summary.</p><p>Full <em>text</em>.</p>'),
    ],
    ['url is the page people open', () => note.url === article.url],
    ['published is ISO 8601', () => note.published === article.published],
    [
      'tag: Hashtag objects with href and a #name of one word',
      () =>
        JSON.stringify(tags) ===
        JSON.stringify([
          { type: 'Hashtag', href: `${ORIGIN}/tags/engines/`, name: '#Engines' },
          { type: 'Hashtag', href: `${ORIGIN}/tags/ai/`, name: '#KünstlicheIntelligenz' },
        ]),
    ],
    [
      'hashtags are linked in content too (Mastodon links them from there)',
      () =>
        String(note.content).includes(
          `<a href="${ORIGIN}/tags/engines/" class="mention hashtag" rel="tag">#Engines</a>`,
        ),
    ],
    [
      'attachment: the lead image, with mediaType, url and its alt text as name',
      () =>
        JSON.stringify(images) ===
        JSON.stringify([
          {
            type: 'Image',
            mediaType: 'image/jpeg',
            url: 'https://news.example/lead.jpg',
            name: 'A steam engine',
            width: 1200,
            height: 800,
          },
        ]),
    ],
  ])('%s', (_rule, holds) => {
    expect(holds()).toBe(true)
  })
})

// Every term of the ActivityStreams 2.0 context (https://www.w3.org/ns/activitystreams),
// written out from the context document, and those of the security vocabulary newswire uses.
const AS2 = new Set(
  `id type actor attachment attributedTo audience bcc bto cc context current first generator
  icon image inReplyTo instrument last location items orderedItems oneOf anyOf closed origin
  next object prev preview result replies tag target to url accuracy altitude content
  contentMap name nameMap duration endTime height href hreflang partOf latitude longitude
  mediaType radius rel startIndex startTime summary summaryMap totalItems units updated width
  subject relationship describes formerType deleted inbox outbox following followers liked
  likes shares streams preferredUsername endpoints sharedInbox uploadMedia source published`
    .split(/\s+/)
    .filter(Boolean),
)
const SECURITY = new Set(['publicKey', 'publicKeyPem', 'owner'])

function termsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) termsOf(item, into)
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === '@context') continue
      into.add(key)
      termsOf(inner, into)
    }
  return into
}

function declared(document: Record<string, unknown>): Set<string> {
  const contexts = [document['@context']].flat()
  const terms = new Set<string>()
  for (const context of contexts) {
    if (context === 'https://www.w3.org/ns/activitystreams') for (const t of AS2) terms.add(t)
    else if (context === 'https://w3id.org/security/v1') for (const t of SECURITY) terms.add(t)
    else if (context && typeof context === 'object')
      for (const t of Object.keys(context)) terms.add(t)
  }
  return terms
}

describe('every property is defined by a context the document declares', () => {
  const documents: [string, Record<string, unknown>][] = [
    ['actor', actor],
    ['Create', create],
    ['Update', renderChange('Update', note, ORIGIN, 'site', article.updated)],
    ['Delete', renderChange('Delete', note, ORIGIN, 'site', article.updated)],
    ['Announce', renderAnnounce(ORIGIN, 'science', article.id, article.published)],
    [
      'Accept',
      renderAccept(ORIGIN, 'site', {
        id: 'https://peer.example/f',
        type: 'Follow',
        actor: 'https://peer.example/u',
        object: actor.id,
      }),
    ],
    ['collection', renderCollection(`${ORIGIN}/ap/actors/site/outbox`, 3)],
    ['collection page', renderCollectionPage(`${ORIGIN}/ap/actors/site/followers`, 1, 3, [])],
    [
      'Article',
      {
        '@context': create['@context'],
        ...renderObject(article, { origin: ORIGIN, handle: 'site', type: 'Article' }),
      },
    ],
    [
      'Tombstone',
      {
        '@context': 'https://www.w3.org/ns/activitystreams',
        ...renderTombstone(ORIGIN, article.id),
      },
    ],
  ]
  it.each(documents)('%s', (_name, document) => {
    const known = declared(document)
    expect([...termsOf(document)].filter((term) => !known.has(term))).toEqual([])
  })
})
