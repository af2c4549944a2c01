import type { Clock } from '../core/clock.js';
import { safeFetch } from '../net/safe-fetch.js';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import type { TestWorld } from '../testworld/test-data.js';
import { TestEntraEid } from './testentra/test-entra-eid.js';
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
export function createEids(config: Config, clock: Clock, world: TestWorld): Eid[] {
  const eids: Eid[] = [];
  if (config.testidEnabled) {
    eids.push(new TestIdEid({ clock, world: (atLeast) => world.versioned(atLeast) }));
    // The simulated work-account eID stands in for Entra ID unless a real one is configured.
    if (config.testid.test_entra && !config.eids.some((e) => e.preset === 'entraid')) eids.push(new TestEntraEid({ clock, accounts: async () => (await world.current()).work_accounts }));
  }
  for (const e of config.eids) {
    if (eids.some((x) => x.id === e.id)) throw new ConfigError(`eids: duplicate eID id "${e.id}"`);
    eids.push(new UpstreamOidcEid(new UpstreamEid(e, clock, config.production ? { fetch: safeFetch } : {}), upstreamCallbackUrl(config.loginBaseUrl, e.id)));
  }
  return eids;
}
