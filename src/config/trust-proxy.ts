/**
 * The `trust_proxy` setting as fastify's trustProxy option (which proxy-addr evaluates): false
 * trusts no sender, so the client address is the connection's; a hop count trusts that many
 * proxies in front (the address is the entry that many hops from the right of X-Forwarded-For);
 * a list trusts only senders with those addresses/CIDRs.
 */
export type TrustProxySetting = false | number | string[];

export function trustProxyOption(setting: TrustProxySetting): false | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false || setting === 0) return false;
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting;
}
