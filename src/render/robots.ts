/**
 * `/robots.txt` (RFC 9309): one group that lets every crawler fetch everything (§2.2.2: an
 * `allow` rule of `/` matches every path), then the sitemaps as `Sitemap:` lines, which stand
 * outside any group (§2.2.4 lets crawlers read other records; sitemaps.org, "Specifying the
 * Sitemap location in your robots.txt file", asks for full URLs).
 */
export function renderRobots(sitemaps: readonly string[]): string {
  return `User-agent: *\nAllow: /\n\n${sitemaps.map((url) => `Sitemap: ${url}\n`).join('')}`
}
