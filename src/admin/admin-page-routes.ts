/**
 * The self-service pages under `admin.pages_path` (default /admin): log in with a token once, then
 * list, create and edit clients, replace keys, rotate a secret (shown once) and delete. Plain HTML
 * forms, every one with the session's CSRF token; no JavaScript needed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Params } from '../core/params.js';
import { safeEqual } from '../core/random.js';
import { consumeAll } from '../oauth/limits/fixed-window-limit.js';
import { sendHtml } from '../http/respond.js';
import type { Services } from '../services.js';
import { adminTokenFingerprint, hasScope, SCOPE_MODIFY, SCOPE_READ, SCOPE_WRITE, type AdminAuthenticator, type AdminScope } from './admin-auth.js';
import type { AdminSession, AdminSessions } from './admin-session.js';
import type { ClientAdmin, ClientView } from './client-admin.js';
import { ADMIN_CSS } from './pages/admin-css.js';
import { renderMessagePage, type AdminChrome } from './pages/admin-layout.js';
import { clientToFormValues, emptyFormValues, formValuesToInput, paramsToFormValues } from './pages/client-form.js';
import { renderClientCreatePage, renderClientEditPage, renderClientListPage, renderClientSecretPage } from './pages/client-pages.js';
import { renderAdminLoginPage } from './pages/login-page.js';

interface AdminPageDeps {
  auth: AdminAuthenticator;
  clients: ClientAdmin;
  sessions: AdminSessions;
}

export function adminPageRoutes(app: FastifyInstance, s: Services, deps: AdminPageDeps): void {
  const pp = s.config.admin.pagesPath;
  const { auth, clients, sessions } = deps;

  const form = (req: FastifyRequest): Params => (req.body instanceof Params ? req.body : Params.empty());
  const chromeOf = (session: AdminSession): NonNullable<AdminChrome['session']> => ({
    actor: session.principal.actor, csrf: session.csrf, ...(session.principal.orgno ? { orgno: session.principal.orgno } : {}),
  });
  const page = (reply: FastifyReply, status: number, body: string) => sendHtml(reply, status, () => body);
  const message = (reply: FastifyReply, status: number, session: AdminSession | undefined, title: string, text: string) =>
    page(reply, status, renderMessagePage({ pagesPath: pp, ...(session ? { session: chromeOf(session) } : {}) }, title, text));

  /** The session with `scope` (and, for POST, a valid CSRF token), or undefined after answering. */
  async function guard(req: FastifyRequest, reply: FastifyReply, scope: AdminScope): Promise<AdminSession | undefined> {
    const session = await sessions.get(req);
    if (!session) {
      if (req.method === 'GET') reply.redirect(`${pp}/login`, 303);
      else message(reply, 401, undefined, 'Logged out', 'Your session has ended. Log in again and repeat the change.');
      return undefined;
    }
    if (req.method === 'POST') {
      const csrf = form(req).get('csrf');
      if (!csrf || !safeEqual(csrf, session.csrf)) {
        message(reply, 403, session, 'Form expired', 'The form could not be verified (missing or wrong CSRF token). Open the page again and repeat the change.');
        return undefined;
      }
    }
    if (!hasScope(session.principal, scope)) {
      message(reply, 403, session, 'Not allowed', `Your token lacks the scope ${scope}.`);
      return undefined;
    }
    return session;
  }

  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const clientUrl = (id: string) => `${pp}/clients/${encodeURIComponent(id)}`;

  app.get(`${pp}/admin.css`, async (_req, reply) => reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(ADMIN_CSS));
  app.get(pp, async (_req, reply) => reply.redirect(`${pp}/clients`, 303));

  // Unauthenticated login state is bounded per address and in total, like logins in progress.
  const admit = (req: FastifyRequest) => async () =>
    (await consumeAll([{ limit: s.limits.adminLoginsPerAddress, key: req.ip }, { limit: s.limits.adminLoginsTotal, key: 'all' }])).ok;
  const tooMany = (reply: FastifyReply) =>
    page(reply.header('Retry-After', String(s.limits.adminLoginsTotal.windowSeconds)), 429, renderMessagePage({ pagesPath: pp }, 'Too many logins', 'Too many admin logins are in progress. Try again later.'));

  app.get(`${pp}/login`, async (req, reply) => {
    if (await sessions.get(req)) return reply.redirect(`${pp}/clients`, 303);
    const csrf = await sessions.beginLogin(req, reply, admit(req));
    if (!csrf) return tooMany(reply);
    return page(reply, 200, renderAdminLoginPage({ pagesPath: pp, csrf }));
  });

  app.post(`${pp}/login`, async (req, reply) => {
    const f = form(req);
    if (!(await sessions.checkLoginCsrf(req, f.get('csrf')))) {
      const csrf = await sessions.beginLogin(req, reply, admit(req));
      if (!csrf) return tooMany(reply);
      return page(reply, 403, renderAdminLoginPage({ pagesPath: pp, csrf, error: 'The login form expired or could not be verified. Please try again.' }));
    }
    const token = (f.get('token') ?? '').trim();
    const r = await auth.authenticateToken(token);
    if (!r.ok) {
      const csrf = await sessions.beginLogin(req, reply, admit(req));
      if (!csrf) return tooMany(reply);
      return page(reply, 401, renderAdminLoginPage({ pagesPath: pp, csrf, error: 'The token was not accepted.' }));
    }
    await sessions.create(req, reply, r.principal, r.principal.kind === 'static' ? adminTokenFingerprint(token) : undefined);
    return reply.redirect(`${pp}/clients`, 303);
  });

  app.post(`${pp}/logout`, async (req, reply) => {
    const session = await sessions.get(req);
    const csrf = form(req).get('csrf');
    if (session && (!csrf || !safeEqual(csrf, session.csrf))) return message(reply, 403, session, 'Form expired', 'The form could not be verified. Try again.');
    await sessions.destroy(req, reply);
    return reply.redirect(`${pp}/login`, 303);
  });

  app.get(`${pp}/clients`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_READ);
    if (!session) return reply;
    const showInactive = (req.query as Record<string, unknown>).inactive === 'true';
    const list = await clients.list(session.principal, { includeInactive: showInactive });
    return page(reply, 200, renderClientListPage({ pagesPath: pp, session: chromeOf(session), clients: list, showInactive }));
  });

  app.get(`${pp}/clients/new`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_WRITE);
    if (!session) return reply;
    return page(reply, 200, renderClientCreatePage({
      pagesPath: pp, session: chromeOf(session), values: emptyFormValues(session.principal.orgno), orgnoFixed: !!session.principal.orgno,
    }));
  });

  app.post(`${pp}/clients/new`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_WRITE);
    if (!session) return reply;
    const values = paramsToFormValues(form(req));
    const r = await clients.create(session.principal, formValuesToInput(values));
    if (!r.ok) {
      const errors = r.status === 400 ? r.errors : [{ field: '', message: r.description }];
      return page(reply, 400, renderClientCreatePage({ pagesPath: pp, session: chromeOf(session), values, errors, orgnoFixed: !!session.principal.orgno }));
    }
    if (r.value.client_secret) {
      return page(reply, 201, renderClientSecretPage({ pagesPath: pp, session: chromeOf(session), client: r.value, secret: r.value.client_secret, created: true }));
    }
    return reply.redirect(clientUrl(r.value.client_id), 303);
  });

  const editPage = (reply: FastifyReply, status: number, session: AdminSession, client: ClientView, extra: Partial<Parameters<typeof renderClientEditPage>[0]> = {}) =>
    page(reply, status, renderClientEditPage({
      pagesPath: pp,
      session: chromeOf(session),
      client,
      values: clientToFormValues(client),
      jwksText: JSON.stringify({ keys: client.jwks?.keys ?? [] }, null, 2),
      orgnoFixed: !!session.principal.orgno,
      canModify: hasScope(session.principal, SCOPE_MODIFY),
      ...extra,
    }));

  app.get(`${pp}/clients/:id`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_READ);
    if (!session) return reply;
    const r = await clients.get(session.principal, idOf(req), { includeInactive: true });
    if (!r.ok) return message(reply, 404, session, 'Not found', 'There is no such client.');
    const saved = (req.query as Record<string, unknown>).saved;
    return editPage(reply, 200, session, r.value, saved === 'client' ? { notice: 'The client was saved.' } : saved === 'keys' ? { notice: 'The keys were replaced.' } : {});
  });

  app.post(`${pp}/clients/:id`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_MODIFY);
    if (!session) return reply;
    const id = idOf(req);
    const current = await clients.get(session.principal, id);
    if (!current.ok) return message(reply, 404, session, 'Not found', 'There is no such client.');
    const values = paramsToFormValues(form(req));
    const r = await clients.update(session.principal, id, formValuesToInput(values));
    if (!r.ok) {
      const errors = r.status === 400 ? r.errors : [{ field: '', message: r.description }];
      return editPage(reply, 400, session, current.value, { values, errors });
    }
    if (r.value.client_secret) {
      return page(reply, 200, renderClientSecretPage({ pagesPath: pp, session: chromeOf(session), client: r.value, secret: r.value.client_secret, created: false }));
    }
    return reply.redirect(`${clientUrl(id)}?saved=client`, 303);
  });

  app.post(`${pp}/clients/:id/jwks`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_MODIFY);
    if (!session) return reply;
    const id = idOf(req);
    const current = await clients.get(session.principal, id);
    if (!current.ok) return message(reply, 404, session, 'Not found', 'There is no such client.');
    const text = form(req).get('jwks') ?? '';
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return editPage(reply, 400, session, current.value, { jwksText: text, jwksErrors: [{ field: 'jwks', message: 'must be valid JSON' }] });
    }
    const r = await clients.replaceJwks(session.principal, id, body);
    if (!r.ok) {
      const errors = r.status === 400 ? r.errors : [{ field: '', message: r.description }];
      return editPage(reply, 400, session, current.value, { jwksText: text, jwksErrors: errors });
    }
    return reply.redirect(`${clientUrl(id)}?saved=keys`, 303);
  });

  app.post(`${pp}/clients/:id/secret`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_MODIFY);
    if (!session) return reply;
    const r = await clients.rotateSecret(session.principal, idOf(req));
    if (!r.ok) return message(reply, r.status, session, r.status === 404 ? 'Not found' : 'No secret', r.description);
    return page(reply, 200, renderClientSecretPage({ pagesPath: pp, session: chromeOf(session), client: r.value, secret: r.value.client_secret!, created: false }));
  });

  app.post(`${pp}/clients/:id/delete`, async (req, reply) => {
    const session = await guard(req, reply, SCOPE_MODIFY);
    if (!session) return reply;
    const r = await clients.deactivate(session.principal, idOf(req));
    if (!r.ok) return message(reply, 404, session, 'Not found', 'There is no such client.');
    const list = await clients.list(session.principal);
    return page(reply, 200, renderClientListPage({
      pagesPath: pp, session: chromeOf(session), clients: list, showInactive: false, notice: `The client ${r.value.client_name} was deleted.`,
    }));
  });
}
