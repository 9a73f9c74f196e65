import { lookup, Resolver } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { TConfig } from '../lib/config.ts';

/**
 * Where a webhook may be sent (OWASP SSRF prevention). The host is resolved once; every address it
 * resolves to must be public unicast (ipaddr.js's classification, not a hand-kept range table: no
 * loopback, private, link-local such as 169.254.169.254, unique-local, CGNAT, unspecified, reserved,
 * IPv4-mapped or 6to4 forms of them) unless WEBHOOK_ALLOW_PRIVATE; and the request then connects to
 * the address that was checked, never resolving again (a DNS answer that changes between check and
 * connect, "DNS rebinding", cannot redirect it).
 */
export type TTargetPolicy = { allowPrivate: boolean; production: boolean; dnsServers?: string[] };

export const targetPolicy = (c: Pick<TConfig, 'WEBHOOK_ALLOW_PRIVATE' | 'NODE_ENV' | 'WEBHOOK_DNS_SERVERS'>): TTargetPolicy => ({
  allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
  production: c.NODE_ENV === 'production',
  dnsServers: c.WEBHOOK_DNS_SERVERS?.split(','),
});

export class TargetRefused extends Error {}

export type TTarget = { url: URL; address: string; family: 4 | 6 };

async function resolveHost(host: string, dnsServers?: string[]): Promise<{ address: string; family: 4 | 6 }[]> {
  if (ipaddr.isValid(host)) return [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  try {
    if (!dnsServers) return (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    const resolver = new Resolver({ timeout: 3000, tries: 2 });
    resolver.setServers(dnsServers);
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
    return [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
  } catch {
    return [];
  }
}

/** Resolves and checks a webhook URL; throws TargetRefused saying why. */
export async function resolveTarget(raw: string, policy: TTargetPolicy): Promise<TTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused('only http and https receivers');
  if (url.username || url.password) throw new TargetRefused('credentials do not belong in the URL; sign with the secret instead');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolveHost(host, policy.dnsServers);
  if (!addresses.length) throw new TargetRefused(`${host} does not resolve`);
  const nonPublic = addresses.map((a) => ({ ...a, range: ipaddr.process(a.address).range() })).filter((a) => a.range !== 'unicast');
  if (nonPublic.length && !policy.allowPrivate) {
    throw new TargetRefused(`${host} resolves to a ${nonPublic[0]!.range} address (${nonPublic[0]!.address}); only public receivers, unless WEBHOOK_ALLOW_PRIVATE=1`);
  }
  // In production, data leaves the lab encrypted; plain http only to a lab-internal receiver that was allowed.
  if (policy.production && url.protocol === 'http:' && nonPublic.length < addresses.length) {
    throw new TargetRefused('receivers must use https in production');
  }
  const pinned = addresses[0]!;
  return { url, address: pinned.address, family: pinned.family };
}

/**
 * POSTs to a checked target over a connection to its checked address: the socket's lookup answers
 * with that address, so nothing resolves the name again; TLS still verifies the certificate against
 * the host name. Redirects are not followed (a 3xx is a failed delivery).
 */
export function postToTarget(target: TTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const pin: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(target.url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, lookup: pin, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (err) => reject((err as Error).name === 'AbortError' ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : err));
    req.end(body);
  });
}
