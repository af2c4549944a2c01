/** Helpers for the logout confirmation page (shown when /logout has no id_token_hint for the session). */
import { expect } from 'vitest';
import { decodeEntities, formFields, type Browser, type Step } from './harness.js';

export const CONFIRM_PATH = '/logout/confirm';

/** Whether the step is the "Do you want to log out?" page: a POST form to /logout/confirm with flow and csrf. */
export function isLogoutConfirmPage(step: Step): boolean {
  if (step.status !== 200) return false;
  try {
    const f = formFields(step.html, CONFIRM_PATH);
    return !!f.flow && !!f.csrf;
  } catch {
    return false;
  }
}

/** The absolute action URL of the confirmation form. */
export function confirmAction(step: Step): string {
  const m = /<form\b[^>]*action="([^"]*\/logout\/confirm)"/.exec(step.html);
  expect(m, 'a form posting to /logout/confirm').not.toBeNull();
  return new URL(decodeEntities(m![1]!), step.url).href;
}

/** Answers the confirmation page like the user would (without following the redirect that may leave the provider). */
export async function answerLogoutConfirm(b: Browser, page: Step, answer: 'logout' | 'stay', override: Record<string, string> = {}): Promise<Step> {
  expect(isLogoutConfirmPage(page), `expected the logout confirmation page, got ${page.status} ${page.location ?? ''}\n${page.html.slice(0, 500)}`).toBe(true);
  return b.request(confirmAction(page), { method: 'POST', form: { ...formFields(page.html, CONFIRM_PATH), answer, ...override } });
}
