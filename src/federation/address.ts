import ipaddr from 'ipaddr.js'

// Names that never leave the machine or the site's network: RFC 6761 §6.3 (`localhost`),
// RFC 6762 (`.local`, multicast DNS), RFC 8375 (`home.arpa`) and the `.internal` names that
// cloud providers resolve to their private networks.
const PRIVATE_NAME = /(?:^|\.)(?:localhost|local|internal|home\.arpa)$/i

// The one range of ipaddr.js a stranger's address may be in: public unicast. The others are
// RFC 1918 private, RFC 6598 shared, loopback, link-local, RFC 4193 unique-local, unspecified,
// multicast, reserved, and the IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, NAT64,
// Teredo), through which a private IPv4 address could be reached.
const PUBLIC_RANGE = 'unicast'

// A host as an IP address, or undefined for a name. WHATWG URL parsing has already turned the
// other IPv4 spellings (`2130706433`, `0x7f.1`, `017700000001`, `127.1`) into dotted decimal, and
// wraps IPv6 in brackets.
function addressOf(hostname: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined
}

// The first 96 bits zero (`::1` and `::` are loopback and unspecified, counted already).
function isIpv4Compatible(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (address.kind() !== 'ipv6') return false
  const parts = (address as ipaddr.IPv6).parts
  return parts.slice(0, 6).every((part) => part === 0) && parts.some((part) => part !== 0)
}

/**
 * Why this Worker may not send a request to `url`, or undefined when it may: https to a public
 * host (in development, http or https to any host). Every outgoing request to an address a
 * remote document gave (actors, keys, inboxes) is checked here first. A name that resolves to
 * a private address cannot be caught: a Worker has no DNS API (README).
 */
export function checkOutgoingUrl(url: URL, development: boolean): string | undefined {
  if (development)
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? undefined
      : `${url.href} is not an http(s) URL`
  if (url.protocol !== 'https:') return `${url.href} is not an https URL`
  const hostname = url.hostname.replace(/\.$/, '')
  const address = addressOf(hostname)
  if (address) {
    // RFC 4291 §2.5.5.1's deprecated IPv4-compatible form (`::a.b.c.d`, `::/96`), which
    // ipaddr.js counts as unicast, carries an IPv4 address too.
    const range = isIpv4Compatible(address) ? 'IPv4-compatible' : address.range()
    return range === PUBLIC_RANGE ? undefined : `${url.host} is a ${range} address`
  }
  return PRIVATE_NAME.test(hostname) ? `${url.host} is a private name` : undefined
}
