import type { Clock } from '../../core/clock.js';
import type { FixtureWorkAccount } from '../../fixtures/fixture-types.js';
import type { PageView } from '../../interaction/outcome.js';
import type { Acr } from '../../oauth/authorize/authorization-request.js';
import { t } from '../../ui/i18n.js';
import type { Eid, EidAnswer, EidLoginContext, EidResult, EidStart } from '../eid.js';

/** Entra ID sends at most this many groups in a token before it switches to an overage claim. */
const MAX_GROUPS = 20;

export interface TestEntraOptions {
  clock: Clock;
  /** The work accounts of the test world now (fixtures and test data). */
  accounts: () => Promise<readonly FixtureWorkAccount[]>;
}

/**
 * "Test Entra ID": a simulated Microsoft Entra ID work-account login for the test world, offered
 * for acr_values=entraid when no real Entra upstream is configured (spec §8.2 (docs/spec.md)).
 * Its identity is exactly what the Entra preset makes of a real Entra login
 * (src/eid/upstream/claim-mapping.ts): acr `entraid`, amr `entraid_pwd`, the e-mail only when
 * verified, names, the tenant for employer rules, the first 20 groups, and no pid.
 */
export class TestEntraEid implements Eid {
  readonly id = 'testentra';
  readonly name = 'Test Entra ID';
  readonly acr: readonly Acr[] = ['entraid'];
  readonly skipsSelector = false;

  constructor(private readonly o: TestEntraOptions) {}

  async formTargets(): Promise<string[]> {
    return [];
  }

  async start(): Promise<EidStart> {
    return { kind: 'page' };
  }

  async page(ctx: EidLoginContext, extra: { error?: string; emailValue?: string } = {}): Promise<PageView> {
    const accounts = await this.o.accounts();
    return {
      page: 'test-entra',
      props: {
        locale: ctx.locale, flow: ctx.flowId, csrf: ctx.csrf, clientName: ctx.clientName, cancelUrl: ctx.cancelUrl, action: ctx.formAction,
        accounts: accounts.map((a) => ({ email: a.email, given_name: a.given_name, family_name: a.family_name })),
        ...extra,
      },
    };
  }

  async complete(answer: EidAnswer, ctx: EidLoginContext): Promise<EidResult> {
    if (answer.kind !== 'form') return { kind: 'failed', error: 'invalid_request', description: 'Test Entra ID answers with its own form' };
    const typed = (answer.fields.get('email') ?? '').trim().toLowerCase();
    const account = answer.fields.isRepeated('email') ? undefined : (await this.o.accounts()).find((a) => a.email.toLowerCase() === typed);
    if (!account) {
      return { kind: 'page', status: 400, view: await this.page(ctx, { error: t(ctx.locale, 'testentra.errorUnknown'), emailValue: typed.slice(0, 254) }) };
    }
    const claims: Record<string, unknown> = {
      given_name: account.given_name, family_name: account.family_name, name: `${account.given_name} ${account.family_name}`,
      tid: account.tenant_id.toLowerCase(), groups: account.groups.slice(0, MAX_GROUPS),
    };
    // Like a real Entra login: an address Entra does not vouch for is no e-mail identity.
    if (account.email_verified) claims.email = account.email.toLowerCase();
    return {
      kind: 'identity',
      identity: {
        acr: 'entraid', amr: ['entraid_pwd'], subjectRef: `entraid:${account.tenant_id.toLowerCase()}:${account.email.toLowerCase()}`,
        claims, authTime: Math.floor(this.o.clock.now() / 1000),
      },
    };
  }
}
