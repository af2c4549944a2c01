import type { ClientRegistry } from '../../clients/client-registry.js';
import type { Params } from '../../core/params.js';
import type { EphemeralStore } from '../../store/ports.js';
import { invalidClient, type AuthenticatedClient } from './client-auth-types.js';
import { presentedCredentials, type PresentedCredentials } from './presented-credentials.js';
import { checkNotLimited, limitCondition, limitedError, recordFailure, type FailureLimit } from './auth-failure-limit.js';
import { OAuthError } from '../../core/oauth-error.js';
import { checkClientSecret } from './verify-client-secret.js';
import { checkPrivateKeyJwt } from './verify-private-key-jwt.js';
import type { CertificateTrust } from './certificate-trust.js';

export interface ClientAuthDeps {
  registry: ClientRegistry;
  replay: EphemeralStore;
  issuer: string;
  now: () => number; // ms
  /** Optional limit on failed authentications (per client and address). */
  failureLimit?: FailureLimit;
  /** Trusted CAs and CRLs for business certificates in client assertions (`x5c`); none: refused. */
  certificates?: CertificateTrust;
}

/**
 * Authenticates the client at the token, PAR, revocation and introspection endpoints with the
 * one method it registered; any other method is refused (spec §7.1).
 */
export async function authenticateClient(
  deps: ClientAuthDeps, authorization: string | undefined, body: Params, address = '', opts: { deferLimit?: boolean } = {},
): Promise<AuthenticatedClient> {
  const cred = presentedCredentials(authorization, body);
  const limit = cred.method !== 'none' ? deps.failureLimit : undefined;
  // The limit holds even for the right credentials. Checked first, or (deferLimit, for client
  // secrets, whose check is one hash) handed to the caller as a condition on its own store step,
  // which saves a round trip: a failure past the limit is then answered 429 here, as the check
  // would have, and the caller answers 429 on every other way out while the limit holds
  // (src/oauth/token/token-endpoint.ts). Assertions and certificates cost more to verify and use
  // up their jti: for them the limit is always checked first.
  const defer = opts.deferLimit === true && (cred.method === 'client_secret_basic' || cred.method === 'client_secret_post');
  if (limit && !defer) await checkNotLimited(limit, cred.clientId, address);
  try {
    const auth = await verifyCredentials(deps, cred);
    if (!limit || !defer) return auth;
    return {
      ...auth,
      limit: {
        condition: limitCondition(limit, cred.clientId, address),
        error: () => limitedError(limit),
        check: () => checkNotLimited(limit, cred.clientId, address),
      },
    };
  } catch (e) {
    if (limit && e instanceof OAuthError && e.error === 'invalid_client') {
      const failures = await recordFailure(limit, cred.clientId, address);
      if (defer && failures > limit.maxFailures) throw limitedError(limit);
    }
    throw e;
  }
}

async function verifyCredentials(deps: ClientAuthDeps, cred: PresentedCredentials): Promise<AuthenticatedClient> {
  const stored = await deps.registry.getActive(cred.clientId);
  if (!stored) throw invalidClient('unknown or inactive client');
  const registered = stored.client.token_endpoint_auth_method;
  if (cred.method !== registered) {
    throw invalidClient(`the client must authenticate with ${registered}, not ${cred.method}`);
  }
  switch (cred.method) {
    case 'client_secret_basic':
    case 'client_secret_post':
      checkClientSecret(stored, cred.secret, deps.now());
      break;
    case 'private_key_jwt': {
      const r = await checkPrivateKeyJwt(stored, cred.assertion!, { issuer: deps.issuer, nowS: Math.floor(deps.now() / 1000), replay: deps.replay, certificates: deps.certificates });
      if (r) return { client: stored.client, method: cred.method, clientAmr: r.clientAmr };
      break;
    }
    case 'none':
      break;
  }
  return { client: stored.client, method: cred.method };
}
