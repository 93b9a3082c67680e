<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shows an RSS or Atom feed opened in a browser as a page: what it is, how to subscribe, and
  its latest items, with a link to the feed's own HTML page (which also works in browsers that
  no longer run XSLT). Readers ignore this stylesheet; the feed's bytes are unchanged.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="page" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <link rel="stylesheet" href="/assets/site.css"/>
      </head>
      <body>
        <header class="masthead"><a class="brand" href="/">Feeds</a></header>
        <main id="main">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="lede"><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <section aria-labelledby="about">
            <h2 id="about">This is a feed</h2>
            <p>Feed readers follow it for you. Copy its address into your reader to subscribe:</p>
            <p><code><xsl:value-of select="$self"/></code></p>
            <p><a href="{$page}">Read this feed as a web page</a></p>
          </section>
          <section aria-labelledby="latest">
            <h2 id="latest">Latest articles</h2>
            <ol class="items">
              <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
            </ol>
          </section>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li><article>
      <!-- An untitled item (RSS 2.0 allows one with a description only) is shown by its description. -->
      <h3><a href="{link}"><xsl:choose>
        <xsl:when test="normalize-space(title)"><xsl:value-of select="title"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="description"/></xsl:otherwise>
      </xsl:choose></a></h3>
      <p class="byline"><xsl:value-of select="dc:creator"/> · <xsl:value-of select="pubDate"/></p>
    </article></li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li><article>
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p class="byline"><xsl:value-of select="atom:author/atom:name"/> · <xsl:value-of select="atom:published"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </article></li>
  </xsl:template>
</xsl:stylesheet>
