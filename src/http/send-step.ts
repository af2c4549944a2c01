import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Step, StepCookies } from '../interaction/outcome.js';
import type { Services } from '../services.js';
import { sendAuthorizationResponse } from './authorization-response.js';
import { readCookie, setCookie } from './cookies.js';
import { sendErrorPage } from './error-page.js';
import { renderView } from './render-view.js';
import { sendHtml } from './respond.js';

/** The cookies the login phase reads. */
export function stepCookies(req: FastifyRequest, s: Services): StepCookies {
  const session = readCookie(req, s.cookieNames.session);
  const browser = readCookie(req, s.cookieNames.browser);
  const lang = readCookie(req, s.cookieNames.lang);
  return { ...(session ? { session } : {}), ...(browser ? { browser } : {}), ...(lang ? { lang } : {}) };
}

/** Turns a step of the login phase (src/interaction/outcome.ts) into the HTTP reply. */
export function sendStep(req: FastifyRequest, reply: FastifyReply, s: Services, step: Step): FastifyReply | Promise<FastifyReply> {
  for (const c of step.cookies ?? []) setCookie(reply, { secure: s.config.secureCookies }, s.cookieNames[c.cookie], c.value, c.maxAgeSeconds);
  switch (step.kind) {
    case 'page': {
      const { render, script } = renderView(step.view);
      return sendHtml(reply, step.status, render, { script, ...(step.formTargets ? { formAction: step.formTargets } : {}) });
    }
    case 'redirect':
      return reply.code(step.status).header('Cache-Control', 'no-store').redirect(step.url, step.status);
    case 'respond':
      return sendAuthorizationResponse(reply, s, step.target, step.params, req.method === 'POST', step.frontChannelLogout, step.locale ?? stepCookies(req, s).lang);
    case 'error':
      return sendErrorPage(req, reply, s, step.error);
  }
}
