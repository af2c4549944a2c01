import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { Fixtures } from '../fixtures/fixture-types.js';
import type { Eid } from './eid.js';
import { TestIdEid } from './testid/testid-eid.js';
import { UpstreamEid } from './upstream/upstream-eid.js';
import { UpstreamOidcEid } from './upstream/upstream-oidc-eid.js';

/** Where upstream eIDs send the user back: /login/callback/{eid}. */
export function upstreamCallbackUrl(loginBaseUrl: string, eid: string): string {
  return `${loginBaseUrl}/login/callback/${eid}`;
}

/**
 * The eIDs of this deployment, in the selector's order: the built-in test eIDs when enabled, then
 * the configured upstream OpenID eIDs. Registering an eID here is all the rest of the code needs.
 */
export function createEids(config: Config, clock: Clock, fixtures: Fixtures): Eid[] {
  const eids: Eid[] = [];
  if (config.testidEnabled) eids.push(new TestIdEid({ clock, persons: () => fixtures.persons }));
  for (const e of config.eids) {
    if (eids.some((x) => x.id === e.id)) throw new ConfigError(`eids: duplicate eID id "${e.id}"`);
    eids.push(new UpstreamOidcEid(new UpstreamEid(e, clock), upstreamCallbackUrl(config.loginBaseUrl, e.id)));
  }
  return eids;
}
