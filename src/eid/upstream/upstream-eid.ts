import type * as oidc from 'openid-client';
import { compactVerify, createRemoteJWKSet, customFetch, importJWK, type JWK } from 'jose';
import type { FetchLike } from '../../net/safe-fetch.js';
import type { Clock } from '../../core/clock.js';
import type { Acr } from '../../oauth/authorize/authorization-request.js';
import { allowsHttp, upstreamEndpointAllowed } from './upstream-issuer-rule.js';
import { defaultAcr, mapUpstreamClaims, upstreamAcrValues, type MappingOptions, type Preset, type UpstreamIdentity } from './claim-mapping.js';

interface UpstreamEidConfig {
  id: string;
  preset: Preset;
  name?: string;
  issuer: string;
  client_id: string;
  client_secret?: string;
  private_key_jwk?: Record<string, unknown>;
  scopes?: string[];
  acr?: Acr[];
  claim_mapping?: MappingOptions['claimMapping'];
  acr_mapping?: Record<string, Acr>;
  timeout_seconds: number;
  clock_skew_seconds: number;
  allow_insecure: boolean;
}

/** What we remember between sending the user upstream and the callback. */
interface UpstreamRequestState {
  state: string;
  nonce: string;
  verifier: string;
}

/**
 * openid-client, imported when the first upstream eID is configured: a deployment without one
 * never loads it (test/e2e/built-start.test.ts).
 */
let openidClientModule: Promise<typeof import('openid-client')> | undefined;
function openidClient(): Promise<typeof import('openid-client')> {
  openidClientModule ??= import('openid-client');
  return openidClientModule;
}

export class UpstreamError extends Error {
  constructor(readonly oauthError: string, message: string) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const PRESET_NAMES: Record<Preset, string> = { idporten: 'ID-porten', entraid: 'Microsoft Entra ID', oidc: 'OpenID Connect' };

/** Asymmetric JWS algorithms accepted on upstream id_tokens. */
const ID_TOKEN_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/**
 * An upstream OpenID provider used as an eID. openid-client (a certified relying party) does the
 * protocol: discovery, PKCE, state, nonce, the RFC 9207 `iss` check (also on error responses),
 * id_token claims validation with clock-skew tolerance. openid-client does not verify the signature
 * of an id_token from the token endpoint (OIDC Core 3.1.3.7 lets TLS stand in for it), so the
 * signature is verified here with jose against the upstream JWKS, cached, and fetched again at
 * once when an unknown kid appears (a rotation); only an id_token the upstream gave us for a valid
 * code can cause that fetch.
 */
export class UpstreamEid {
  readonly descriptor: { id: string; name: string; acr: Acr[] };
  private configuration?: Promise<oidc.Configuration>;
  private jwks?: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> };

  /**
   * `net.fetch`: the fetch for discovery, token and JWKS requests (production: the address policy
   * of src/net/safe-fetch.ts, since the issuer's metadata names the URLs); default the global fetch.
   */
  constructor(readonly cfg: UpstreamEidConfig, private readonly clock: Clock, private readonly net: { fetch?: FetchLike } = {}) {
    this.descriptor = { id: cfg.id, name: cfg.name ?? PRESET_NAMES[cfg.preset], acr: cfg.acr ?? defaultAcr(cfg.preset) };
    void openidClient(); // loading starts with the configured eID, not with its first login
  }

  /** Discovered lazily and cached; a failed discovery is retried on the next login. */
  async config(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      this.configuration = this.discover();
      this.configuration.then((c) => { this.discovered = c; }, () => { this.configuration = undefined; });
    }
    return this.configuration;
  }

  /** The configuration once discovery has succeeded (never waits). */
  private discovered?: oidc.Configuration;

  private async discover(): Promise<oidc.Configuration> {
    const oidc = await openidClient();
    let auth: oidc.ClientAuth;
    if (this.cfg.private_key_jwk) {
      const jwk = this.cfg.private_key_jwk as JWK;
      const key = (await importJWK(jwk, (jwk.alg as string | undefined) ?? 'RS256')) as CryptoKey;
      auth = oidc.PrivateKeyJwt({ key, kid: jwk.kid });
    } else if (this.cfg.client_secret) {
      auth = oidc.ClientSecretBasic(this.cfg.client_secret);
    } else {
      auth = oidc.None();
    }
    // http only with allow_insecure or for a loopback http issuer (src/eid/upstream/upstream-issuer-rule.ts).
    const execute = allowsHttp(this.cfg) ? [oidc.allowInsecureRequests] : [];
    let c: oidc.Configuration;
    try {
      c = await oidc.discovery(new URL(this.cfg.issuer), this.cfg.client_id, { [oidc.clockTolerance]: this.cfg.clock_skew_seconds }, auth, {
        execute, timeout: this.cfg.timeout_seconds, ...(this.net.fetch ? { [oidc.customFetch]: this.net.fetch as oidc.CustomFetch } : {}),
      });
    } catch (e) {
      throw new UpstreamError('temporarily_unavailable', `discovery of ${this.cfg.id} failed: ${(e as Error).message}`);
    }
    const tokenEndpoint = c.serverMetadata().token_endpoint;
    if (tokenEndpoint && !upstreamEndpointAllowed(tokenEndpoint, this.cfg)) throw new UpstreamError('server_error', `the eID ${this.cfg.id} publishes a token_endpoint without https`);
    return c;
  }

  /**
   * The upstream authorization URL. The client's intent travels on: prompt=login and max_age
   * (OIDC Core §3.1.2.1) are forwarded, so a forced login here is a forced login there.
   */
  async authorizationUrl(redirectUri: string, st: UpstreamRequestState, requested: readonly Acr[], intent: { forceLogin?: boolean; maxAge?: number | undefined } = {}): Promise<string> {
    const c = await this.config();
    const oidc = await openidClient();
    const params: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: (this.cfg.scopes ?? (this.cfg.preset === 'entraid' ? ['openid', 'profile', 'email'] : ['openid', 'profile'])).join(' '),
      state: st.state,
      nonce: st.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(st.verifier),
      code_challenge_method: 'S256',
    };
    const acr = upstreamAcrValues(this.cfg.preset, requested);
    if (acr) params.acr_values = acr;
    if (intent.forceLogin) params.prompt = 'login';
    if (intent.maxAge !== undefined) params.max_age = String(intent.maxAge);
    return oidc.buildAuthorizationUrl(c, params).href;
  }

  /** Redeems the upstream code and maps the verified id_token. Errors are UpstreamError with our OAuth error code. */
  async callback(currentUrl: URL, st: UpstreamRequestState): Promise<{ identity: UpstreamIdentity; idToken: string; authTime?: number }> {
    const c = await this.config();
    const oidc = await openidClient();
    let tokens;
    try {
      // Error responses too go through openid-client, so that their state and iss are checked (RFC 9207).
      tokens = await oidc.authorizationCodeGrant(c, currentUrl, { pkceCodeVerifier: st.verifier, expectedState: st.state, expectedNonce: st.nonce, idTokenExpected: true });
    } catch (e) {
      const anyE = e as { code?: string; error?: string; message: string; cause?: unknown };
      if (e instanceof oidc.AuthorizationResponseError) {
        const err = anyE.error ?? '';
        throw new UpstreamError(err === 'access_denied' ? 'access_denied' : err === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error',
          `the eID answered ${err.slice(0, 60)}`);
      }
      if (anyE.error === 'access_denied') throw new UpstreamError('access_denied', 'the eID refused the login');
      throw new UpstreamError(unreachable(anyE) ? 'temporarily_unavailable' : 'server_error', `the eID response was rejected: ${anyE.message}`);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new UpstreamError('server_error', 'the eID returned no id_token');
    await this.verifySignature(c, tokens.id_token);
    try {
      const identity = mapUpstreamClaims(claims as Record<string, unknown>, { preset: this.cfg.preset, issuer: this.cfg.issuer, claimMapping: this.cfg.claim_mapping, acrMapping: this.cfg.acr_mapping });
      // The upstream's auth_time (OIDC Core §2) is the moment the person authenticated there.
      const authTime = typeof claims.auth_time === 'number' && Number.isInteger(claims.auth_time) ? claims.auth_time : undefined;
      return { identity, idToken: tokens.id_token, ...(authTime !== undefined ? { authTime } : {}) };
    } catch (e) {
      throw new UpstreamError('server_error', (e as Error).message);
    }
  }

  /** Verifies the id_token signature against the upstream JWKS (cached; refetched on an unknown kid). */
  private async verifySignature(c: oidc.Configuration, idToken: string): Promise<void> {
    const uri = c.serverMetadata().jwks_uri;
    if (!uri) throw new UpstreamError('server_error', `the eID ${this.cfg.id} publishes no jwks_uri`);
    if (!upstreamEndpointAllowed(uri, this.cfg)) throw new UpstreamError('server_error', `the eID ${this.cfg.id} publishes a jwks_uri without https`);
    if (this.jwks?.uri !== uri) {
      this.jwks = { uri, keys: createRemoteJWKSet(new URL(uri), {
        timeoutDuration: this.cfg.timeout_seconds * 1000, cooldownDuration: 0, cacheMaxAge: 10 * 60_000,
        ...(this.net.fetch ? { [customFetch]: this.net.fetch } : {}),
      }) };
    }
    try {
      await compactVerify(idToken, this.jwks.keys, { algorithms: ID_TOKEN_ALGS });
    } catch (e) {
      const anyE = e as { code?: string; message: string; cause?: unknown };
      const down = anyE.code === 'ERR_JWKS_TIMEOUT' || e instanceof TypeError;
      throw new UpstreamError(down ? 'temporarily_unavailable' : 'server_error', `the eID id_token signature was not verified: ${anyE.message}`);
    }
  }

  /** Origin of the upstream authorization endpoint (for the form-action CSP of the eID selector). */
  async authorizationOrigin(): Promise<string | undefined> {
    // Never wait for a slow or hanging upstream here (the selector page must not): before discovery
    // has succeeded, allow the issuer's origin and start discovery in the background.
    if (!this.discovered) {
      void this.config().catch(() => undefined);
      return new URL(this.cfg.issuer).origin;
    }
    const ep = this.discovered.serverMetadata().authorization_endpoint;
    return ep ? new URL(ep).origin : new URL(this.cfg.issuer).origin;
  }

  /** The upstream's end-session URL, when it offers one. */
  async endSessionUrl(idToken: string, postLogoutRedirectUri: string, state: string): Promise<string | undefined> {
    try {
      const c = await this.config();
      if (!c.serverMetadata().end_session_endpoint) return undefined;
      const oidc = await openidClient();
      return oidc.buildEndSessionUrl(c, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri, state }).href;
    } catch {
      return undefined;
    }
  }

  get now(): number {
    return this.clock.now();
  }
}

/** A timeout, a connection failure or a 5xx answer: the eID is unavailable rather than wrong. */
function unreachable(e: { code?: string; message: string; cause?: unknown }): boolean {
  if (e.code === 'OAUTH_TIMEOUT' || e.code === 'OAUTH_ABORT' || /abort|timeout/i.test(e.message)) return true;
  // fetch's network failure (refused, reset, DNS), thrown as is or wrapped by openid-client
  const fetchFailed = (x: unknown) => x instanceof TypeError && x.message === 'fetch failed';
  if (fetchFailed(e) || fetchFailed(e.cause)) return true;
  return e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && e.cause instanceof Response && e.cause.status >= 500;
}
