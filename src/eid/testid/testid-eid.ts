import type { Clock } from '../../core/clock.js';
import { parseNationalId } from '../../core/national-id.js';
import type { Acr } from '../../oauth/authorize/authorization-request.js';
import type { PageView } from '../../interaction/outcome.js';
import type { Locale } from '../../ui/i18n.js';
import type { TestIdPerson } from '../../ui/pages/testid.js';
import { syntheticName } from '../../fixtures/synthetic-names.js';
import { generalManagers, type AltinnModel, type GeneralManager } from '../../representation/altinn-model.js';
import type { Eid, EidAnswer, EidLoginContext, EidResult, EidStart } from '../eid.js';

type TestIdLevel = 'substantial' | 'high';

/** The levels a TestID user may choose: at least the lowest level requested. */
export function testIdLevels(requested: readonly Acr[]): TestIdLevel[] {
  return requested.includes('substantial') ? ['substantial', 'high'] : ['high'];
}

export interface TestIdOptions {
  clock: Clock;
  /**
   * The synthetic world now (fixtures and test data; its people are offered as buttons and named in
   * the tokens), with its version when test data can change at run time (src/testworld/test-data.ts
   * TestWorld.versioned). The page then carries the version in its forms (`world`), and the answer
   * asks for the world of at least that version, which comes from memory: one store read fewer per
   * login. A client that sends a lower number only gets a world this instance already had: never
   * one older than what the page showed it, unless it lies about what the page showed.
   */
  world: (atLeast?: number) => Promise<{ world: AltinnModel; version?: number }>;
  random?: () => number;
}

/** The `world` field of a TestID form: a version number, or nothing usable. */
function worldField(value: string | undefined): number | undefined {
  return value !== undefined && /^[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * TestID (spec §8.3): the built-in test eID. The person types (or picks) a synthetic national
 * identity number and a level; only synthetic numbers (month + 80, both check digits valid) pass.
 */
export class TestIdEid implements Eid {
  readonly id = 'testid';
  readonly name = 'TestID';
  readonly acr: readonly Acr[] = ['substantial', 'high'];
  readonly skipsSelector = false;

  /** The general managers per world and requested resources (the world object changes when the test data does). */
  private readonly managers = new WeakMap<AltinnModel, Map<string, GeneralManager[]>>();
  private readonly listed = new WeakMap<AltinnModel, TestIdPerson[]>();

  constructor(private readonly o: TestIdOptions) {}

  private managersOf(world: AltinnModel, resources: readonly string[]): GeneralManager[] {
    let byResources = this.managers.get(world);
    if (!byResources) {
      byResources = new Map();
      this.managers.set(world, byResources);
    }
    const key = resources.join('\n');
    let found = byResources.get(key);
    if (!found) {
      found = generalManagers(world, resources.length > 0 ? resources : undefined);
      byResources.set(key, found);
    }
    return found;
  }

  /** The persons of a test world as the page lists them: one list per world, so pages can be kept per world (src/ui/page-templates.ts). */
  private personsOf(world: AltinnModel): TestIdPerson[] {
    let persons = this.listed.get(world);
    if (!persons) {
      persons = world.persons.map((p) => ({ pid: p.pid, given_name: p.given_name, family_name: p.family_name }));
      this.listed.set(world, persons);
    }
    return persons;
  }

  async formTargets(): Promise<string[]> {
    return [];
  }

  async start(): Promise<EidStart> {
    return { kind: 'page' };
  }

  async page(ctx: EidLoginContext, extra: { error?: string; pidValue?: string; acr?: string | undefined; atLeast?: number } = {}): Promise<PageView> {
    const levels = testIdLevels(ctx.acrValues);
    const selected = levels.find((l) => l === extra.acr) ?? levels[0]!;
    const { world, version } = await this.o.world(extra.atLeast);
    // A daglig leder of an organisation with rights on what the request asks for (any, without authorization_details).
    const managers = this.managersOf(world, ctx.resources);
    const manager = managers.length > 0 ? managers[Math.min(managers.length - 1, Math.floor((this.o.random ?? Math.random)() * managers.length))] : undefined;
    return {
      page: 'testid',
      props: {
        locale: ctx.locale, flow: ctx.flowId, csrf: ctx.csrf, clientName: ctx.clientName,
        persons: this.personsOf(world),
        acrOptions: levels, selectedAcr: selected, cancelUrl: ctx.cancelUrl, ...(version !== undefined ? { worldVersion: version } : {}),
        ...(manager ? { generalManager: { pid: manager.pid, given_name: manager.given_name, family_name: manager.family_name, organization_name: manager.organization_name } } : {}),
        ...(extra.error ? { error: extra.error } : {}), ...(extra.pidValue ? { pidValue: extra.pidValue } : {}),
      },
    };
  }

  async complete(answer: EidAnswer, ctx: EidLoginContext): Promise<EidResult> {
    if (answer.kind !== 'form') return { kind: 'failed', error: 'invalid_request', description: 'TestID answers with its own form' };
    const body = answer.fields;
    const pid = (body.get('pid') ?? '').replace(/\s+/g, '');
    const acr = body.get('acr');
    const levels = testIdLevels(ctx.acrValues);
    const atLeast = body.isRepeated('world') ? undefined : worldField(body.get('world'));
    const again = async (kind: TestIdErrorKind, extra: { pidValue?: string; acr?: string | undefined }): Promise<EidResult> =>
      ({ kind: 'page', status: 400, view: await this.page(ctx, { error: testIdError(ctx.locale, kind), ...extra, ...(atLeast !== undefined ? { atLeast } : {}) }) });
    if (body.isRepeated('pid') || body.isRepeated('acr')) return again('invalid', { pidValue: pid.slice(0, 20) });
    const parsed = parseNationalId(pid);
    if (!parsed.ok) return again('invalid', { pidValue: pid.slice(0, 20), acr });
    if (!parsed.synthetic) return again('not_synthetic', { pidValue: pid, acr });
    if (!acr || !(levels as string[]).includes(acr)) return again('level', { pidValue: pid });
    // Every synthetic number has a name: the one the test world gives, or a deterministic synthetic one.
    const name = syntheticName(pid, (await this.o.world(atLeast)).world.persons);
    const claims: Record<string, unknown> = { given_name: name.given_name, family_name: name.family_name, name: `${name.given_name} ${name.family_name}` };
    return {
      kind: 'identity',
      identity: { acr: acr as TestIdLevel, amr: ['TestID'], pid, subjectRef: pid, claims, authTime: Math.floor(this.o.clock.now() / 1000) },
    };
  }
}

type TestIdErrorKind = 'invalid' | 'not_synthetic' | 'level';

function testIdError(locale: Locale, kind: TestIdErrorKind): string {
  const texts: Record<TestIdErrorKind, Record<Locale, string>> = {
    invalid: { nb: 'Ugyldig fødselsnummer: skriv 11 siffer med gyldige kontrollsiffer.', nn: 'Ugyldig fødselsnummer: skriv 11 siffer med gyldige kontrollsiffer.', en: 'Invalid national identity number: enter 11 digits with valid check digits.', se: 'Boasttu riegádannummir: čále 11 loguid main leat gustovaš dárkkistanlogut.' },
    not_synthetic: { nb: 'TestID godtar bare syntetiske fødselsnummer (måned + 80).', nn: 'TestID godtek berre syntetiske fødselsnummer (månad + 80).', en: 'TestID accepts only synthetic national identity numbers (month + 80).', se: 'TestID dohkkeha dušše syntehtalaš riegádannummiriid (mánnu + 80).' },
    level: { nb: 'Velg et sikkerhetsnivå.', nn: 'Vel eit tryggleiksnivå.', en: 'Choose a level of assurance.', se: 'Vállje sihkarvuođadási.' },
  };
  return texts[kind][locale];
}
