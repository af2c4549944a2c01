/**
 * A real, certified OpenID provider (npm `oidc-provider`) started on loopback as an upstream eID
 * for the end-to-end tests: once shaped like ID-porten (pid, acr idporten-loa-substantial|high,
 * amr such as BankID), once like Microsoft Entra ID (email, names, groups, tid, oid, amr pwd/mfa).
 *
 * It registers one client for our provider (redirect_uri `<ours>/login/callback/<eid>`,
 * post_logout_redirect_uri `<ours>/logout/upstream-return`, client_secret_basic or
 * private_key_jwt), requires PKCE, and answers its own interaction URL (`/interaction/:uid`)
 * without a page: the scripted browser picks the account and whether to cancel through cookies
 * on the upstream origin (`upstream_account`, `upstream_action=cancel`).
 *
 * To test our relying-party side against misbehaviour that oidc-provider will not produce, a Koa
 * middleware rewrites its answers in `mode`:
 * - `wrong-iss`: the `iss` of the authorization response (RFC 9207) names another issuer;
 * - `bad-signature`: the id_token is re-signed with a foreign key under the real `kid`;
 * - `expired-id-token`: the id_token is re-signed with the real key but expired an hour ago.
 * `rotateKeys()` swaps in a fresh signing key (a new Provider instance behind the same port, so the
 * old kid disappears from the JWKS), `stop()` takes the upstream down, `start()` brings it back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export type UpstreamKind = 'idporten' | 'entraid';
export type Misbehaviour = 'none' | 'wrong-iss' | 'bad-signature' | 'expired-id-token';

/** A person at the upstream: the claims it releases (sub is the account id), and how they log in. */
export interface UpstreamAccount {
  claims: Record<string, unknown>;
  acr?: string;
  amr: string[];
}

/** 25 distinct Entra group object ids (the preset keeps the first 20). */
export const ENTRA_GROUPS: string[] = Array.from({ length: 25 }, (_, i) =>
  `${(0x10000000 + i).toString(16)}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`);
export const ENTRA_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** The people of each kind of upstream. The first one is the default account. */
export const IDPORTEN_ACCOUNTS: Record<string, UpstreamAccount> = {
  bankid: { claims: { pid: '15895010046', locale: 'nb' }, acr: 'idporten-loa-high', amr: ['BankID'] },
  minid: { claims: { pid: '23846821082', locale: 'nb' }, acr: 'idporten-loa-substantial', amr: ['Minid-OTC'] },
  /** An id_token without pid: our ID-porten preset must refuse it. */
  nopid: { claims: { locale: 'nb' }, acr: 'idporten-loa-high', amr: ['BankID'] },
};

export const ENTRA_ACCOUNTS: Record<string, UpstreamAccount> = {
  kari: {
    claims: {
      email: 'Kari.Nordmann@Alfa.Example.NO', given_name: 'Kari', family_name: 'Nordmann', name: 'Kari Nordmann',
      groups: ENTRA_GROUPS, tid: ENTRA_TENANT, oid: '00000000-0000-4000-8000-00000000a001',
    },
    acr: '1',
    amr: ['pwd', 'mfa'],
  },
  ola: {
    claims: {
      email: 'ola@beta.example.no', given_name: 'Ola', family_name: 'Nordmann', name: 'Ola Nordmann',
      groups: [], tid: ENTRA_TENANT, oid: '00000000-0000-4000-8000-00000000a002',
    },
    acr: '1',
    amr: ['pwd'],
  },
  // An administrator of another tenant who set a user's UPN/preferred_username to an address in
  // Alfa's domain (no email claim): must not count as Alfa's employee.
  mallory: {
    claims: {
      preferred_username: 'kari.nordmann@alfa.example.no', upn: 'kari.nordmann@alfa.example.no', name: 'Mallory',
      groups: [], tid: OTHER_TENANT, oid: '00000000-0000-4000-8000-00000000a003',
    },
    acr: '1',
    amr: ['pwd'],
  },
  // An email claim in Alfa's domain whose domain Entra has not verified for the tenant (xms_edov false).
  eve: {
    claims: {
      email: 'eve@alfa.example.no', xms_edov: false, name: 'Eve',
      groups: [], tid: OTHER_TENANT, oid: '00000000-0000-4000-8000-00000000a004',
    },
    acr: '1',
    amr: ['pwd'],
  },
  // A verified address in Alfa's domain, but from another tenant (for rules limited to tenants).
  trudy: {
    claims: {
      email: 'trudy@alfa.example.no', xms_edov: true, name: 'Trudy',
      groups: [], tid: OTHER_TENANT, oid: '00000000-0000-4000-8000-00000000a005',
    },
    acr: '1',
    amr: ['pwd'],
  },
};

export interface UpstreamOpOptions {
  kind: UpstreamKind;
  /** The eID id at our provider (the callback path segment). */
  eid: string;
  /** Our provider's browser-facing base URL (issuer / login_base_url). */
  ours: string;
  /** Client authentication our provider uses at the upstream. Default client_secret_basic. */
  auth?: 'client_secret_basic' | 'private_key_jwt';
  /** id_token lifetime at the upstream in seconds (default 300). */
  idTokenTtl?: number;
}

/** The `eids` entry of our configuration for this upstream. */
export interface EidEntry {
  id: string;
  preset: 'idporten' | 'entraid' | 'oidc';
  issuer: string;
  client_id: string;
  client_secret?: string;
  private_key_jwk?: Record<string, unknown>;
  timeout_seconds: number;
  clock_skew_seconds: number;
  allow_insecure: boolean;
}

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk, privateKey };
}

const EVIL_ISSUER = 'https://evil.example.test';

export class UpstreamOp {
  readonly kind: UpstreamKind;
  readonly eid: string;
  readonly clientId: string;
  readonly clientSecret = `upstream-secret-${Math.random().toString(36).slice(2)}-0123456789abcdef`;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  readonly accounts: Record<string, UpstreamAccount>;
  /** How the upstream misbehaves from now on. */
  mode: Misbehaviour = 'none';
  /** Every request the upstream received (method and path), for assertions such as "the JWKS was fetched again". */
  readonly hits: { method: string; path: string; query: URLSearchParams }[] = [];

  port = 0;
  issuer = '';
  private provider!: Provider;
  private handler!: (req: IncomingMessage, res: ServerResponse) => void;
  private key!: SigningKey;
  private rpKey?: { privateJwk: JWK; publicJwk: JWK };
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private keyCounter = 0;

  private constructor(private readonly opts: UpstreamOpOptions) {
    this.kind = opts.kind;
    this.eid = opts.eid;
    this.clientId = `ansattporten-${opts.eid}`;
    this.redirectUri = `${opts.ours}/login/callback/${opts.eid}`;
    this.postLogoutRedirectUri = `${opts.ours}/logout/upstream-return`;
    this.accounts = opts.kind === 'idporten' ? IDPORTEN_ACCOUNTS : ENTRA_ACCOUNTS;
  }

  static async start(opts: UpstreamOpOptions): Promise<UpstreamOp> {
    const op = new UpstreamOp(opts);
    if (opts.auth === 'private_key_jwt') {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const kid = `rp-${opts.eid}`;
      op.rpKey = {
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
      };
    }
    op.key = await newSigningKey(op.nextKid());
    await op.start();
    return op;
  }

  /** The current signing key id. */
  get kid(): string {
    return this.key.kid;
  }

  /** Our configuration's `eids` entry for this upstream. */
  eidEntry(extra: Partial<EidEntry> & Record<string, unknown> = {}): EidEntry {
    return {
      id: this.eid, preset: this.kind, issuer: this.issuer, client_id: this.clientId,
      ...(this.rpKey ? { private_key_jwk: this.rpKey.privateJwk as Record<string, unknown> } : { client_secret: this.clientSecret }),
      timeout_seconds: 5, clock_skew_seconds: 30, allow_insecure: true, ...extra,
    };
  }

  /** Listens again (on the same port once one was chosen), with a provider over the current key. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    if (!this.port) {
      this.port = (server.address() as { port: number }).port;
      this.issuer = `http://127.0.0.1:${this.port}`;
    }
    if (!this.provider) this.useProvider(this.makeProvider());
  }

  /** Takes the upstream down: the port refuses connections until start(). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close(): Promise<void> {
    return this.stop();
  }

  /**
   * Replaces the signing key: a new provider instance with only the new key answers from now on
   * (sessions and grants kept in oidc-provider's process-wide memory adapter survive). The old kid
   * is no longer published.
   */
  async rotateKeys(): Promise<string> {
    this.key = await newSigningKey(this.nextKid());
    this.useProvider(this.makeProvider());
    return this.key.kid;
  }

  private useProvider(p: Provider): void {
    this.provider = p;
    this.handler = p.callback();
  }

  private nextKid(): string {
    this.keyCounter += 1;
    return `${this.eid}-key-${this.keyCounter}-${Math.random().toString(36).slice(2, 8)}`;
  }

  private makeProvider(): Provider {
    const accounts = this.accounts;
    const client: Record<string, unknown> = {
      client_id: this.clientId,
      redirect_uris: [this.redirectUri],
      post_logout_redirect_uris: [this.postLogoutRedirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    };
    if (this.rpKey) {
      Object.assign(client, { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS256', jwks: { keys: [this.rpKey.publicJwk] } });
    } else {
      Object.assign(client, { token_endpoint_auth_method: 'client_secret_basic', client_secret: this.clientSecret });
    }
    const standalone = { acr: null, amr: null, sid: null, auth_time: null, iss: null };
    const claims: Configuration['claims'] = this.kind === 'idporten'
      ? { ...standalone, openid: ['sub', 'pid', 'locale', 'amr', 'auth_time'], profile: ['name'] }
      : { ...standalone, openid: ['sub', 'amr', 'auth_time', 'tid', 'oid', 'groups', 'preferred_username', 'upn', 'xms_edov'], profile: ['name', 'given_name', 'family_name'], email: ['email'] };
    const configuration: Configuration = {
      clients: [client as NonNullable<Configuration['clients']>[number]],
      jwks: { keys: [this.key.privateJwk] },
      claims,
      // Scope-derived claims in the id_token (as ID-porten and Entra ID do), not only at userinfo.
      conformIdTokenClaims: false,
      acrValues: this.kind === 'idporten' ? ['idporten-loa-substantial', 'idporten-loa-high'] : [],
      pkce: { required: () => true },
      cookies: { keys: ['upstream-cookie-signing-key-for-tests-only'] },
      ttl: {
        IdToken: this.opts.idTokenTtl ?? 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600,
      },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          // The confirmation form, without the default page's external stylesheet.
          logoutSource: async (ctx, form) => {
            ctx.body = `<!doctype html><html><body>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></body></html>`;
          },
          postLogoutSuccessSource: async (ctx) => {
            ctx.body = '<!doctype html><html><body><p>upstream signed out</p></body></html>';
          },
        },
      },
      interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html><body><h1>upstream error</h1><pre>${JSON.stringify(out).replace(/</g, '&lt;')}</pre></body></html>`;
      },
      findAccount: async (_ctx, sub) => {
        const account = accounts[sub];
        if (!account) return undefined;
        return { accountId: sub, claims: async () => ({ ...account.claims, sub }) };
      },
    };
    const provider = new Provider(this.issuer, configuration);
    provider.use(async (ctx, next) => {
      await next();
      await this.misbehave(ctx as KoaContextWithOIDC);
    });
    return provider;
  }

  private async misbehave(ctx: KoaContextWithOIDC): Promise<void> {
    if (this.mode === 'wrong-iss') {
      const location = ctx.response.get('location');
      if (location?.startsWith(this.redirectUri)) {
        const u = new URL(location);
        u.searchParams.set('iss', EVIL_ISSUER);
        ctx.set('location', u.href);
      }
      return;
    }
    if ((this.mode === 'bad-signature' || this.mode === 'expired-id-token') && ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200) {
      const body = ctx.body as Record<string, unknown> | undefined;
      if (!body || typeof body.id_token !== 'string') return;
      const claims = decodeJwt(body.id_token);
      const header = decodeProtectedHeader(body.id_token);
      let key = this.key.privateKey;
      if (this.mode === 'expired-id-token') {
        const now = Math.floor(Date.now() / 1000);
        claims.iat = now - 7200;
        claims.exp = now - 3600;
        if (typeof claims.auth_time === 'number') claims.auth_time = now - 7200;
      } else {
        key = (await generateKeyPair('RS256')).privateKey;
      }
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid, ...(header.typ ? { typ: header.typ } : {}) }).sign(key);
      ctx.body = body;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    this.hits.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams });
    try {
      if (url.pathname.startsWith('/interaction/')) {
        await this.interaction(req, res);
        return;
      }
      this.handler(req, res);
    } catch (e) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`upstream test helper failed: ${(e as Error).message}`);
      }
    }
  }

  /**
   * The interaction "page": logs the account named by the `upstream_account` cookie in (default:
   * the first account) and grants consent for what was asked, or cancels with access_denied when
   * the `upstream_action` cookie says `cancel`.
   */
  private async interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = this.provider;
    const cookies = Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=') as [string, string]).filter((c) => c.length === 2));
    const details = await provider.interactionDetails(req, res);
    if (cookies.upstream_action === 'cancel') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
      return;
    }
    const accountId = details.prompt.name === 'login' ? (cookies.upstream_account ?? Object.keys(this.accounts)[0]!) : details.session?.accountId;
    if (!accountId || !this.accounts[accountId]) {
      await provider.interactionFinished(req, res, { error: 'login_required', error_description: 'unknown test account' }, { mergeWithLastSubmission: false });
      return;
    }
    const account = this.accounts[accountId]!;
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    const result: Record<string, unknown> = { consent: { grantId } };
    if (details.prompt.name === 'login') result.login = { accountId, acr: account.acr, amr: account.amr };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }
}
