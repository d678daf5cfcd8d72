// Which hosts the direct page reader may connect to: public unicast addresses only. The check runs on every DNS
// answer inside the connection's own lookup, so the socket connects to the address that was checked (a name that
// resolves to a public address once and to 127.0.0.1 the next time cannot slip through between check and connect).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why a URL or address was refused: said in the run's warnings and logs. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
}

/** Which addresses may be reached; `allowed` is for tests' loopback fakes only and has no configuration variable. */
export interface AddressPolicy {
  /** Exact addresses allowed although they are not public (tests: ['127.0.0.1']). */
  allowed?: readonly string[];
}

// Global unicast IPv6 lives in 2000::/3; everything else (IPv4-compatible ::a.b.c.d, reserved blocks) is refused.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * True for a public unicast address: not loopback, private, link-local, carrier-grade NAT, multicast, broadcast,
 * unspecified, reserved, documentation, benchmarking, 6to4, Teredo, NAT64 or unique-local. IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries. Cloud metadata endpoints (169.254.169.254,
 * fd00:ec2::254, 100.100.100.200, 192.0.0.192) fall in those ranges.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIP(bare)) return false;
  let parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

/** True when the policy lets the reader connect to this address. */
export function addressAllowed(address: string, policy: AddressPolicy = {}): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  return isPublicAddress(bare) || (policy.allowed ?? []).includes(bare);
}

// Names that only ever mean this machine or a private network, refused before any DNS question is asked.
const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp|localdomain|home\.arpa)$/i;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);

/**
 * Throws BlockedAddressError unless the URL is one the reader may fetch: http(s), no credentials, a host name that
 * is not a private or metadata name, and, for a literal IP, a public address (names are checked at connect time).
 */
export function assertFetchableUrl(url: URL, policy: AddressPolicy = {}): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new BlockedAddressError(`only http(s) pages are read, not ${url.protocol}`);
  if (url.username || url.password) throw new BlockedAddressError('a URL with credentials is not read');
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host) !== 0) {
    if (!addressAllowed(host, policy)) throw new BlockedAddressError(`${host} is not a public address`);
    return;
  }
  if (host === '' || !host.includes('.') || PRIVATE_NAMES.test(host) || METADATA_NAMES.has(host.toLowerCase()))
    throw new BlockedAddressError(`${host || 'an empty host'} is not a public host name`);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupFn = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => void;

/** A DNS resolver with dns.lookup's shape (`all: true`); tests pass one that answers what they need. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * The `lookup` the reader's sockets use: resolves the name, refuses the whole answer when any address in it is not
 * allowed, and hands the socket only checked addresses, so it connects to what was checked.
 */
export function checkedLookup(policy: AddressPolicy, resolve: Resolve = systemResolve): LookupFn {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find((entry) => !addressAllowed(entry.address, policy));
        if (addresses.length === 0 || refused) {
          const what = refused ? `${refused.address}, which is not a public address` : 'no address';
          const error = new BlockedAddressError(`${hostname} resolves to ${what}`) as NodeJS.ErrnoException;
          error.code = 'EBLOCKED';
          callback(error, '');
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
