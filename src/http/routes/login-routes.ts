import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Params } from '../../core/params.js';
import type { LoginInteraction, PageInput } from '../../interaction/login-interaction.js';
import type { Step } from '../../interaction/outcome.js';
import type { Services } from '../../services.js';
import { upstreamCallbackUrl } from '../../eid/eid-registry.js';
import { formBody, queryOf } from '../request-params.js';
import { sendStep, stepCookies } from '../send-step.js';

/**
 * The login pages (src/interaction/ decides, these routes only parse and reply): the eID
 * selector, each eID's own page, the upstream eIDs' callback, the organisation picker, cancel and
 * return.
 */
export function loginRoutes(app: FastifyInstance, s: Services, interaction: LoginInteraction): void {
  const page = (req: FastifyRequest): PageInput => {
    const q = queryOf(req);
    return { flowId: q.get('flow') ?? undefined, lang: q.get('lang') ?? undefined, cookies: stepCookies(req, s) };
  };
  const form = (req: FastifyRequest) => ({ fields: formBody(req), cookies: stepCookies(req, s), log: req.log });
  const reply = (req: FastifyRequest, res: FastifyReply) => (step: Step) => sendStep(req, res, s, step);

  app.get('/login/select', async (req, res) => interaction.showSelector(page(req)).then(reply(req, res)));
  app.post('/login/select', async (req, res) => interaction.chooseEid(form(req)).then(reply(req, res)));

  // Each eID with a page of its own (TestID) answers at /login/{eid}.
  for (const eid of s.eids) {
    if (!eid.page) continue;
    app.get(`/login/${eid.id}`, async (req, res) => interaction.showEidPage(eid.id, page(req)).then(reply(req, res)));
    app.post(`/login/${eid.id}`, async (req, res) => interaction.answerEidForm(eid.id, form(req)).then(reply(req, res)));
  }

  // Upstream eIDs send the user back here (the redirect URI registered at each of them), by GET or form_post.
  const callback = (req: FastifyRequest<{ Params: { eid: string } }>, res: FastifyReply, params: Params) =>
    interaction.answerEidCallback(req.params.eid, {
      params, callbackUrl: upstreamCallbackUrl(s.config.loginBaseUrl, req.params.eid), cookies: stepCookies(req, s), log: req.log,
    }).then(reply(req, res));
  app.get<{ Params: { eid: string } }>('/login/callback/:eid', async (req, res) => callback(req, res, Params.fromSearchParams(queryOf(req))));
  app.post<{ Params: { eid: string } }>('/login/callback/:eid', async (req, res) => callback(req, res, formBody(req)));

  app.get('/login/organizations', async (req, res) => interaction.showPicker(page(req)).then(reply(req, res)));
  app.post('/login/organizations', async (req, res) => interaction.chooseOrganization(form(req)).then(reply(req, res)));
  app.post('/login/cancel', async (req, res) => interaction.cancel(form(req)).then(reply(req, res)));
  app.post('/login/return', async (req, res) => interaction.returnToClient(form(req)).then(reply(req, res)));
}
