import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/oauth-error.js';
import { Params } from '../../core/params.js';
import { parseNationalId } from '../../core/national-id.js';
import type { Services } from '../../services.js';
import { eidsFor, testIdLevels } from '../../eid/eid.js';
import type { LoginFlow } from '../../oauth/login-flow.js';
import { issueAuthorizationDetails } from '../../representation/issue-authorization-details.js';
import { groupParties, resolveChoice } from '../../representation/picker-model.js';
import { LOCALES, t, type Locale } from '../../ui/i18n.js';
import { renderEidSelectPage, renderOrgPickerPage, renderTestIdPage } from '../../ui/index.js';
import { sendAuthorizationError } from '../authorization-response.js';
import { readCookie, setCookie } from '../cookies.js';
import { sendErrorPage } from '../error-page.js';
import { targetOf, type LoginSteps } from '../login-steps.js';
import { sendHtml } from '../respond.js';
import { startUpstreamLogin } from './upstream-routes.js';

/** The login pages: eID selector, TestID, organisation picker, cancel and return. */
export function loginRoutes(app: FastifyInstance, s: Services, steps: LoginSteps): void {
  const base = s.config.loginBaseUrl;
  const cancelUrl = `${base}/login/cancel`;
  const clientName = async (flow: LoginFlow) =>
    flow.request.clientName ?? (await s.registry.getActive(flow.request.clientId))?.client.client_name ?? flow.request.clientId;

  /** Loads the flow for a GET page; a `lang` query switches the language for this flow and later ones. */
  const flowForPage = async (req: FastifyRequest, reply: FastifyReply): Promise<LoginFlow> => {
    const q = new URL(req.url, 'http://x').searchParams;
    const flow = await steps.flows.load(q.get('flow') ?? undefined, readCookie(req, s.cookieNames.browser));
    const lang = q.get('lang');
    if (lang && (LOCALES as readonly string[]).includes(lang) && flow.pickedLocale !== lang) {
      flow.pickedLocale = lang;
      await steps.flows.save(flow);
      setCookie(reply, { secure: s.config.secureCookies }, s.cookieNames.lang, lang, 365 * 24 * 3600);
    }
    return flow;
  };

  const flowForPost = async (req: FastifyRequest): Promise<{ flow: LoginFlow; body: Params }> => {
    const body = req.body instanceof Params ? req.body : Params.empty();
    if (body.isRepeated('flow') || body.isRepeated('csrf')) throw new OAuthError('invalid_request', 'csrf', 'page', 403);
    const flow = await steps.flows.load(body.get('flow'), readCookie(req, s.cookieNames.browser), body.get('csrf') ?? null);
    return { flow, body };
  };

  const withPageErrors = (handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(req, reply);
      } catch (e) {
        if (e instanceof OAuthError && e.delivery === 'page') return sendErrorPage(req, reply, steps, e);
        throw e;
      }
    };

  const selectPage = async (reply: FastifyReply, flow: LoginFlow, locale: Locale, status = 200) => {
    const name = await clientName(flow);
    const eids = eidsFor(s.eids, flow.request.acrValues);
    // The form posts here and is redirected on to an upstream eID or back to the client: allow those targets.
    const upstreamOrigins = (await Promise.all(eids.map((e) => s.upstreams.get(e.id)?.authorizationOrigin()))).filter((o): o is string => !!o);
    return sendHtml(reply, status, () => renderEidSelectPage({
      locale, flow: flow.id, csrf: flow.csrf, clientName: name, cancelUrl,
      eids: eids.map((e) => ({ id: e.id, name: e.name })),
    }), { formAction: [flow.request.redirectUri, ...upstreamOrigins] });
  };

  app.get('/login/select', withPageErrors(async (req, reply) => {
    const flow = await flowForPage(req, reply);
    return selectPage(reply, flow, steps.locale(req, flow));
  }));

  app.post('/login/select', withPageErrors(async (req, reply) => {
    const { flow, body } = await flowForPost(req);
    const eid = eidsFor(s.eids, flow.request.acrValues).find((e) => e.id === body.get('eid'));
    if (!eid) return selectPage(reply, flow, steps.locale(req, flow), 400);
    if (s.upstreams.has(eid.id)) return startUpstreamLogin(s, steps, reply, flow, eid.id);
    return reply.code(303).redirect(`${base}/login/${eid.id}?flow=${flow.id}`, 303);
  }));

  const testIdPage = async (req: FastifyRequest, reply: FastifyReply, flow: LoginFlow, status: number, extra: { error?: string; pidValue?: string; acr?: string } = {}) => {
    const levels = testIdLevels(flow.request.acrValues);
    const selected = levels.find((l) => l === extra.acr) ?? levels[0]!;
    const name = await clientName(flow);
    return sendHtml(reply, status, (nonce) => renderTestIdPage({
      locale: steps.locale(req, flow), flow: flow.id, csrf: flow.csrf, clientName: name, nonce,
      persons: s.fixtures.persons, acrOptions: levels, selectedAcr: selected, cancelUrl,
      ...(extra.error ? { error: extra.error } : {}), ...(extra.pidValue ? { pidValue: extra.pidValue } : {}),
    }), { script: true, formAction: [flow.request.redirectUri] });
  };

  app.get('/login/testid', withPageErrors(async (req, reply) => {
    if (!s.config.testidEnabled) throw new OAuthError('invalid_request', 'TestID is not enabled', 'page', 404);
    const flow = await flowForPage(req, reply);
    return testIdPage(req, reply, flow, 200);
  }));

  app.post('/login/testid', withPageErrors(async (req, reply) => {
    if (!s.config.testidEnabled) throw new OAuthError('invalid_request', 'TestID is not enabled', 'page', 404);
    const { flow, body } = await flowForPost(req);
    const pid = (body.get('pid') ?? '').replace(/\s+/g, '');
    const acr = body.get('acr');
    const levels = testIdLevels(flow.request.acrValues);
    const parsed = parseNationalId(pid);
    const locale = steps.locale(req, flow);
    if (body.isRepeated('pid') || body.isRepeated('acr')) return testIdPage(req, reply, flow, 400, { error: testIdError(locale, 'invalid'), pidValue: pid.slice(0, 20) });
    if (!parsed.ok) return testIdPage(req, reply, flow, 400, { error: testIdError(locale, 'invalid'), pidValue: pid.slice(0, 20), acr });
    if (!parsed.synthetic) return testIdPage(req, reply, flow, 400, { error: testIdError(locale, 'not_synthetic'), pidValue: pid, acr });
    if (!acr || !(levels as string[]).includes(acr)) return testIdPage(req, reply, flow, 400, { error: testIdError(locale, 'level'), pidValue: pid });
    const person = s.fixtures.persons.find((p) => p.pid === pid);
    const claims: Record<string, unknown> = {};
    if (person) Object.assign(claims, { given_name: person.given_name, family_name: person.family_name, name: `${person.given_name} ${person.family_name}` });
    flow.context = {
      authTime: Math.floor(s.clock.now() / 1000), acr: acr as 'substantial' | 'high', amr: ['TestID'], eid: 'testid',
      pid, subjectRef: pid, claims, locale,
    };
    flow.reused = false;
    // Saved only when the login continues in the picker (afterAuthentication does that).
    return steps.afterAuthentication(req, reply, flow, true);
  }));

  app.post('/login/cancel', withPageErrors(async (req, reply) => {
    const { flow } = await flowForPost(req);
    await steps.flows.finish(flow.id);
    steps.metrics?.logins.inc({ eid: flow.context?.eid ?? 'none', outcome: 'cancelled' });
    return sendAuthorizationError(reply, s.config.issuer, targetOf(flow.request), new OAuthError('access_denied', 'the user cancelled the login'), true);
  }));

  /** "Return to the service" from the no-representation and source-unavailable pages. */
  app.post('/login/return', withPageErrors(async (req, reply) => {
    const { flow, body } = await flowForPost(req);
    await steps.flows.finish(flow.id);
    const err = body.get('reason') === 'source_unavailable'
      ? new OAuthError('temporarily_unavailable', 'the authorisation source is unavailable')
      : new OAuthError('access_denied', 'the user has no right to represent an organisation for the requested service');
    steps.metrics?.logins.inc({ eid: flow.context?.eid ?? 'none', outcome: err.error });
    return sendAuthorizationError(reply, s.config.issuer, targetOf(flow.request), err, true);
  }));

  const pickerPage = async (req: FastifyRequest, reply: FastifyReply, flow: LoginFlow, status: number, error?: string) => {
    const rar = flow.request.authorizationDetails!;
    const prev = flow.context?.chosen;
    const name = await clientName(flow);
    const groups = groupParties(flow.parties ?? []);
    return sendHtml(reply, status, (nonce) => renderOrgPickerPage({
      locale: steps.locale(req, flow), flow: flow.id, csrf: flow.csrf, clientName: name, nonce, cancelUrl,
      parties: groups.map((g) => ({ ...pickParty(g.party), subunits: g.subunits.map(pickParty) })),
      allowMultiple: rar.allowMultiple, allowSelf: !rar.representationRequired,
      preselected: prev === 'self' ? ['self'] : prev ?? [],
      personName: typeof flow.context?.claims.name === 'string' ? flow.context.claims.name : '',
      ...(error ? { error } : {}),
    }), { script: true, formAction: [flow.request.redirectUri] });
  };

  app.get('/login/organizations', withPageErrors(async (req, reply) => {
    const flow = await flowForPage(req, reply);
    if (!flow.context || !flow.parties) throw new OAuthError('invalid_request', 'flow_missing', 'page');
    return pickerPage(req, reply, flow, 200);
  }));

  app.post('/login/organizations', withPageErrors(async (req, reply) => {
    const { flow, body } = await flowForPost(req);
    if (!flow.context || !flow.parties) throw new OAuthError('invalid_request', 'flow_missing', 'page');
    const rar = flow.request.authorizationDetails!;
    let choice;
    try {
      choice = resolveChoice(body.all('orgno'), flow.parties, rar);
    } catch (e) {
      // A bad post re-shows the picker with a visible, announced error (it only happens with an
      // empty choice through the page itself; other bad values come from a tampered form).
      if (e instanceof OAuthError) return pickerPage(req, reply, flow, 400, t(steps.locale(req, flow), 'org.errorNoneSelected'));
      throw e;
    }
    const hasEmail = typeof flow.context.claims.email === 'string';
    const details = issueAuthorizationDetails(rar, choice, s.resourceNames, hasEmail);
    const chosen = choice === 'self' ? 'self' as const : choice.map((p) => p.orgno);
    return steps.finish(req, reply, flow, details, true, undefined, chosen);
  }));
}

function pickParty(p: { orgno: string; name: string; unit_type: string; deleted: boolean }) {
  return { orgno: p.orgno, name: p.name, unit_type: p.unit_type, deleted: p.deleted };
}

function testIdError(locale: Locale, kind: 'invalid' | 'not_synthetic' | 'level'): string {
  const texts: Record<typeof kind, Record<Locale, string>> = {
    invalid: { nb: 'Ugyldig fødselsnummer: skriv 11 siffer med gyldige kontrollsiffer.', nn: 'Ugyldig fødselsnummer: skriv 11 siffer med gyldige kontrollsiffer.', en: 'Invalid national identity number: enter 11 digits with valid check digits.', se: 'Boasttu riegádannummir: čále 11 loguid main leat gustovaš dárkkistanlogut.' },
    not_synthetic: { nb: 'TestID godtar bare syntetiske fødselsnummer (måned + 80).', nn: 'TestID godtek berre syntetiske fødselsnummer (månad + 80).', en: 'TestID accepts only synthetic national identity numbers (month + 80).', se: 'TestID dohkkeha dušše syntehtalaš riegádannummiriid (mánnu + 80).' },
    level: { nb: 'Velg et sikkerhetsnivå.', nn: 'Vel eit tryggleiksnivå.', en: 'Choose a level of assurance.', se: 'Vállje sihkarvuođadási.' },
  };
  return texts[kind][locale];
}
