/** Registers the admin API and the self-service pages (spec §15.3) when the admin section is enabled. */
import { safeFetch } from '../net/safe-fetch.js';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { adminApiRoutes } from './admin-api-routes.js';
import { AdminAuthenticator } from './admin-auth.js';
import { adminPageRoutes } from './admin-page-routes.js';
import { AdminSessions } from './admin-session.js';
import { ClientAdmin } from './client-admin.js';
import { EmployerRuleAdmin } from './employer-rule-admin.js';
import { testDataApiRoutes } from './testdata-routes.js';

/** The admin API (JSON) and the self-service pages (HTML), registered where each belongs. */
export interface AdminRoutes {
  api(app: FastifyInstance): void;
  pages(app: FastifyInstance): void;
}

export function adminRoutes(s: Services): AdminRoutes {
  const cfg = s.config.admin;
  if (!cfg.enabled) return { api: () => {}, pages: () => {} };
  const auth = new AdminAuthenticator(cfg, s.clock, s.config.production ? { fetch: safeFetch } : {});
  const clients = new ClientAdmin({ registry: s.registry, clock: s.clock, audit: s.stores.audit, production: s.config.production });
  const employerRules = s.stores.employerRules
    ? new EmployerRuleAdmin({ store: s.stores.employerRules, clock: s.clock, ...(s.stores.audit ? { audit: s.stores.audit } : {}) })
    : undefined;
  return {
    api: (app) => {
      adminApiRoutes(app, s, { auth, clients, ...(employerRules ? { employerRules } : {}) });
      testDataApiRoutes(app, s, auth);
    },
    pages: (app) => {
      if (!cfg.pagesEnabled) return;
      const sessions = new AdminSessions(s.stores.ephemeral, s.clock, {
        ttlMinutes: cfg.sessionMinutes, secure: s.config.secureCookies, currentFingerprint: () => auth.staticFingerprint(),
      });
      adminPageRoutes(app, s, { auth, clients, sessions });
    },
  };
}
