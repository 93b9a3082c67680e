"""Reads a feed on stdin with Universal Feed Parser and prints what a reader would see, as JSON."""
import json
import sys

import feedparser

parsed = feedparser.parse(sys.stdin.buffer.read())


def when(struct):
    return None if struct is None else "%04d-%02d-%02dT%02d:%02d:%02dZ" % tuple(struct[:6])


print(json.dumps({
    "bozo": parsed.bozo,
    "bozo_exception": str(parsed.get("bozo_exception", "")),
    "version": parsed.version,
    "feed": {
        "title": parsed.feed.get("title"),
        "link": parsed.feed.get("link"),
        "id": parsed.feed.get("id"),
        "updated": when(parsed.feed.get("updated_parsed")),
        "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in parsed.feed.get("links", [])],
    },
    "entries": [{
        "id": e.get("id"),
        "title": e.get("title"),
        "link": e.get("link"),
        "author": e.get("author"),
        "published": when(e.get("published_parsed")),
        "updated": when(e.get("updated_parsed")),
        "summary": e.get("summary"),
        "content": [c.get("value") for c in e.get("content", [])],
        "tags": [t.get("term") for t in e.get("tags", [])],
        "media_credit": [c.get("content") for c in e.get("media_credit", [])],
        "enclosures": [
            {"href": x.get("href"), "type": x.get("type"), "length": x.get("length")}
            for x in e.get("enclosures", [])
        ],
    } for e in parsed.entries],
}))
