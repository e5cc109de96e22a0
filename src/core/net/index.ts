/** Outbound network safety shared by every feature that makes server-side requests (page fetches, webhooks). */
export { isPublicAddress, nonPublicReason } from './address-policy.js';
export { defaultRefusedAddressError, publicOnlyLookup, refusedHostLiteral, type RefusedAddressError } from './guarded-lookup.js';
