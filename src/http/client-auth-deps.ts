import type { ClientAuthDeps } from '../oauth/client-auth/authenticate-client.js';
import type { Services } from '../services.js';

/** What client authentication needs (src/oauth/client-auth/), the same at every endpoint that authenticates clients. */
export function clientAuthDeps(s: Services): ClientAuthDeps {
  return {
    registry: s.registry, replay: s.stores.ephemeral, issuer: s.config.issuer, now: () => s.clock.now(),
    failureLimit: s.clientAuthFailureLimit, ...(s.clientCertificates ? { certificates: s.clientCertificates } : {}),
  };
}
