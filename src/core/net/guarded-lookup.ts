import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { nonPublicReason } from './address-policy.js';

/** Makes the error a refused address becomes, e.g. a feature's own error class and wording. */
export type RefusedAddressError = (host: string, address: string, reason: string) => Error;

export const defaultRefusedAddressError: RefusedAddressError = (host, address, reason) =>
  new Error(host === address ? `${address} is not a public address (${reason})` : `${host} resolves to ${address}, which is not a public address (${reason})`);

/**
 * A `lookup` for http.request/https.request/net.connect that checks every address DNS returns
 * at connect time, so a name cannot pass a check and then resolve to an internal address (DNS
 * rebinding). One non-public address among the answers refuses the whole name.
 */
export function publicOnlyLookup(refused: RefusedAddressError = defaultRefusedAddressError): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      for (const { address } of list) {
        const reason = nonPublicReason(address);
        if (reason) return callback(refused(hostname, address, reason), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * An IP literal in a URL never goes through DNS lookup, so it is checked here: the error for a
 * non-public literal host, else null (names are left to publicOnlyLookup).
 */
export function refusedHostLiteral(url: URL, refused: RefusedAddressError = defaultRefusedAddressError): Error | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isIP(host)) return null;
  const reason = nonPublicReason(host);
  return reason ? refused(host, host, reason) : null;
}
