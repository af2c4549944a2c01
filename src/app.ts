import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { OAuthError } from './core/oauth-error.js';
import { Params } from './core/params.js';
import { createServices, type ServiceOptions, type Services } from './services.js';
import type { Config } from './config/config.js';
import { LoginFlows } from './oauth/login-flow.js';
import { LoginInteraction } from './interaction/login-interaction.js';
import { sendErrorPage } from './http/error-page.js';
import { authorizeRoutes, parRoutes } from './http/routes/authorize-routes.js';
import { loginRoutes } from './http/routes/login-routes.js';
import { tokenRoutes } from './http/routes/token-routes.js';
import { userinfoRoutes } from './http/routes/userinfo-routes.js';
import { discoveryRoutes } from './http/routes/discovery-routes.js';
import { healthRoutes, siteRoutes } from './http/routes/ops-routes.js';
import { corsEndpoints } from './http/cors.js';
import { asOAuthError, jsonEndpoints, jsonNotFound } from './http/json-endpoints.js';
import { demoRoutes } from './http/routes/demo-routes.js';
import { logoutRoutes } from './http/routes/logout-routes.js';
import { backChannelStarter } from './http/back-channel-start.js';
import { notifySessionEnd } from './oauth/logout/session-end-notifications.js';
import { introspectionRoutes, revocationRoutes } from './http/routes/revocation-introspection-routes.js';
import { adminRoutes } from './admin/admin-routes.js';
import { localAltinnRoutes } from './http/routes/local-altinn-routes.js';
import { Metrics } from './observability/metrics.js';
import { loggerOptions, pathOnly } from './observability/logging.js';
import { registerMetrics } from './observability/metrics-endpoint.js';
import { requestIdOf } from './observability/request-id.js';
import { trustProxyOption } from './config/trust-proxy.js';
import { lazySchemaCompilers } from './http/lazy-schema-compilers.js';

const FORM_BODY_LIMIT = 64 * 1024;

export interface App {
  app: FastifyInstance;
  services: Services;
  metrics: Metrics;
  /** The separate /metrics listener when `metrics.port` is set (the caller listens on it). */
  metricsApp?: FastifyInstance;
}

export async function buildApp(config: Config, opts: ServiceOptions & { logger?: boolean | object } = {}): Promise<App> {
  const services = await createServices(config, opts);
  const app = Fastify({
    logger: opts.logger === undefined || opts.logger === false ? false : loggerOptions(opts.logger === true ? {} : (opts.logger as Record<string, unknown>)),
    // A proxy's X-Request-Id only when it is a short plain token (src/observability/request-id.ts).
    genReqId: requestIdOf,
    // One log line per request (written in onResponse) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: FORM_BODY_LIMIT,
    // X-Forwarded-For is believed only from the configured proxies (trust_proxy; default none).
    trustProxy: trustProxyOption(config.trust_proxy),
    requestIdHeader: false,
    return503OnClosing: true,
    // No route declares a JSON Schema: ajv loads only if one ever does (src/http/lazy-schema-compilers.ts).
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });

  // Forms keep repeated parameters so the protocol can refuse them.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
    done(null, Params.fromUrlEncoded(body as string));
  });
  // Any other media type reaches the route as "no form body", and the route answers invalid_request.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT }, (_req, _body, done) => done(null, undefined));

  // Graceful shutdown: a response finished while the server is closing also closes its keep-alive
  // connection, or close() would wait for that idle socket until the client drops it.
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  // Callback-style hooks: nothing here waits, so no promise per request.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('Connection', 'close');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!reply.hasHeader('X-Frame-Options')) reply.header('X-Frame-Options', 'DENY');
    if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (services.config.secureCookies) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    done(null, payload);
  });

  const metrics = new Metrics(() => services.stores.ephemeral.count('session'));
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info({ method: req.method, path: pathOnly(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    metrics.httpDuration.observe({ route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  const metricsApp = registerMetrics(app, metrics, config.metrics);

  const flows = new LoginFlows(services.stores.ephemeral, config.lifetimes.login_flow_seconds);
  const interaction = new LoginInteraction({
    issuer: config.issuer, loginBaseUrl: config.loginBaseUrl, clock: services.clock, flows, sessions: services.sessions,
    eids: services.eids, source: services.source, resourceNames: services.resourceNames,
    clientName: async (id) => (await services.registry.getActive(id))?.client.client_name,
    ephemeral: services.stores.ephemeral,
    lifetimes: { codeSeconds: config.lifetimes.code_seconds, flowSeconds: config.lifetimes.login_flow_seconds },
    logins: metrics.logins,
    sessionEnded: async (session, log) => notifySessionEnd({
      issuer: config.issuer, grants: services.stores.grants,
      getClient: async (id) => (await services.registry.get(id))?.client,
      startBackChannel: backChannelStarter(services, log && ((fields, msg) => log.warn(fields, msg)), 'back-channel logout: another person authenticated in the browser'),
    }, session),
    flowLimits: { perBrowser: services.limits.flowsPerBrowser, perAddress: services.limits.flowsPerAddress, total: services.limits.flowsTotal },
  });

  // Pages (login, logout, demo, admin pages): every error is an error page, never a stack trace.
  app.setErrorHandler(async (error: Error, req: FastifyRequest, reply: FastifyReply) => sendErrorPage(req, reply, services, asOAuthError(error, req, 'page')));
  app.setNotFoundHandler(async (req, reply) => sendErrorPage(req, reply, services, new OAuthError('not_found', 'no such endpoint', 'page', 404)));

  const admin = adminRoutes(services);
  await jsonEndpoints(app, async (api) => {
    await corsEndpoints(api, (cors) => {
      discoveryRoutes(cors, services);
      tokenRoutes(cors, services, metrics);
      userinfoRoutes(cors, services);
      revocationRoutes(cors, services);
    });
    parRoutes(api, services);
    introspectionRoutes(api, services);
    healthRoutes(api, services);
    admin.api(api);
    localAltinnRoutes(api, services);
  });
  // The admin API answers its own unknown paths (src/admin/admin-api-routes.ts).
  for (const prefix of ['/.well-known', '/token', '/par', '/userinfo', '/jwks.json', '/health']) await jsonNotFound(app, prefix);
  authorizeRoutes(app, services, interaction);
  loginRoutes(app, services, interaction);
  logoutRoutes(app, services);
  siteRoutes(app, services);
  if (config.demoEnabled) demoRoutes(app, services);
  admin.pages(app);

  app.addHook('onClose', async () => {
    services.stop();
    await services.stores.close();
  });
  return { app, services, metrics, ...(metricsApp ? { metricsApp } : {}) };
}
