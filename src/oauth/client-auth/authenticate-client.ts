import type { ClientRegistry } from '../../clients/client-registry.js';
import type { Params } from '../../core/params.js';
import type { EphemeralStore } from '../../store/ports.js';
import { invalidClient, type AuthenticatedClient } from './client-auth-types.js';
import { presentedCredentials, type PresentedCredentials } from './presented-credentials.js';
import { checkNotLimited, recordFailure, type FailureLimit } from './auth-failure-limit.js';
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
export async function authenticateClient(deps: ClientAuthDeps, authorization: string | undefined, body: Params, address = ''): Promise<AuthenticatedClient> {
  const cred = presentedCredentials(authorization, body);
  const limit = deps.failureLimit;
  if (limit && cred.method !== 'none') await checkNotLimited(limit, cred.clientId, address);
  try {
    return await verifyCredentials(deps, cred);
  } catch (e) {
    if (limit && cred.method !== 'none' && e instanceof OAuthError && e.error === 'invalid_client') await recordFailure(limit, cred.clientId, address);
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
