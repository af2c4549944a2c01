import type { OAuthError } from '../core/oauth-error.js';
import type { ResponseMode } from '../oauth/jarm/authorization-response-jwt.js';
import type {
  EidSelectPageProps, ErrorPageProps, NoRepresentationPageProps, OrgPickerPageProps, TestEntraPageProps, TestIdPageProps,
} from '../ui/index.js';

/**
 * Where and how the authorization response goes (RFC 6749 §4.1.2, OAuth 2.0 Form Post Response Mode,
 * JARM §2.3). `clientId` is the audience of a JARM response JWT.
 */
export interface ResponseTarget {
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** A page of the login phase and what it shows; the HTTP layer renders it (src/http/render-view.ts). */
export type PageView =
  | { page: 'eid-select'; props: EidSelectPageProps }
  | { page: 'testid'; props: Omit<TestIdPageProps, 'nonce'> }
  | { page: 'test-entra'; props: TestEntraPageProps }
  | { page: 'org-picker'; props: Omit<OrgPickerPageProps, 'nonce'> }
  | { page: 'no-representation'; props: NoRepresentationPageProps }
  | { page: 'error'; props: ErrorPageProps };

/** A cookie the browser must get: the session, the browser binding, the language choice. */
export interface CookieChange {
  cookie: 'session' | 'browser' | 'lang';
  value: string;
  maxAgeSeconds?: number;
}

/**
 * What happens next after a step of the login: a plain value, turned into an HTTP reply by
 * src/http/send-step.ts.
 * - page: render a page of ours (the browser may post its forms to `formTargets` too);
 * - redirect: send the browser on (to one of our pages or to an upstream eID);
 * - respond: the authorization response to the client (code, or error), with `state` and `iss`;
 * - error: an error page, for problems whose redirect target cannot be trusted.
 */
export type Step = (
  | { kind: 'page'; status: number; view: PageView; formTargets?: string[] }
  | { kind: 'redirect'; url: string; status: 302 | 303 }
  | { kind: 'respond'; target: ResponseTarget; params: Record<string, string>; locale?: string; frontChannelLogout?: { frames: string[]; locale: string } }
  | { kind: 'error'; error: OAuthError }
) & { cookies?: CookieChange[] };

/** The cookies a login step reads (values already checked for their character set). */
export interface StepCookies {
  session?: string;
  browser?: string;
  lang?: string;
}

export function withCookies(step: Step, cookies: CookieChange[]): Step {
  if (cookies.length === 0) return step;
  return { ...step, cookies: [...(step.cookies ?? []), ...cookies] };
}

/** An error response to the client; `locale` is the language of the page that posts it (form_post). */
export function respondError(target: ResponseTarget, err: OAuthError, locale?: string): Step {
  return { kind: 'respond', target, params: { error: err.error, error_description: err.description }, ...(locale ? { locale } : {}) };
}
