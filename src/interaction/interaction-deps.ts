import type { Clock } from '../core/clock.js';
import type { Eid } from '../eid/eid.js';
import type { LoginFlows } from '../oauth/login-flow.js';
import type { AuthorisationSource } from '../representation/authorisation-source.js';
import type { SessionService } from '../session/session-service.js';
import type { EphemeralStore } from '../store/ports.js';
import type { FixedWindowLimit } from '../oauth/limits/fixed-window-limit.js';

/** Counts logins by eID and outcome (src/observability/metrics.ts implements it). */
export interface LoginCounter {
  inc(labels: { eid: string; outcome: string }): void;
}

/** A structured logger (pino's shape); the HTTP layer passes the request's logger. */
export interface StepLogger {
  warn(fields: Record<string, unknown>, msg: string): void;
}

/** What the login phase needs from the rest of the provider; everything is a port or a value. */
export interface InteractionDeps {
  issuer: string;
  /** Base URL of the login pages (normally the issuer). */
  loginBaseUrl: string;
  clock: Clock;
  flows: LoginFlows;
  sessions: SessionService;
  /** The eIDs of this deployment, in the selector's order (src/eid/eid-registry.ts). */
  eids: readonly Eid[];
  source: AuthorisationSource;
  resourceNames: { resourceName(id: string): string | undefined };
  /** The active client's display name, if it is registered and active. */
  clientName(clientId: string): Promise<string | undefined>;
  /** Codes and the correlation of upstream answers with flows live here. */
  ephemeral: EphemeralStore;
  lifetimes: { codeSeconds: number; flowSeconds: number };
  logins?: LoginCounter;
  /**
   * A browser session ended because another person authenticated in the same browser: its clients
   * get the notifications a logout sends (back-channel logout, grants revoked); the front-channel
   * frames to load in the browser come back.
   */
  sessionEnded?(session: import('../session/browser-session.js').BrowserSession, log?: StepLogger): Promise<{ frames: string[] }>;
  /** Bounds on logins in progress, so that unauthenticated requests cannot fill the store. */
  flowLimits?: { perBrowser: FixedWindowLimit; perAddress: FixedWindowLimit; total: FixedWindowLimit };
}
