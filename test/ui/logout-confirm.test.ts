import { describe, expect, it } from 'vitest';
import { LOCALES, t } from '../../src/ui/index.js';
import { renderLogoutConfirmPage } from '../../src/ui/pages/logout-confirm.js';
import { renderLogoutDeclinedPage } from '../../src/ui/pages/logout-confirm-declined.js';
import { allText, checkPage, expectNoRawHostile, fieldsOf, HOSTILE } from './page-checks.js';

const FLOW = 'pending_ab12';
const CSRF = 'csrf_cd34';

describe('logout confirmation page', () => {
  for (const locale of LOCALES) {
    it(`asks in ${locale}: one POST form with flow and csrf, a yes and a no button`, () => {
      const m = renderLogoutConfirmPage({ locale, flow: FLOW, csrf: CSRF, action: '/logout/confirm', langPath: '/logout/confirm' });
      const doc = checkPage(m, { locale, flow: FLOW });
      expect(doc.querySelector('h1')?.textContent).toBe(t(locale, 'logoutconfirm.title'));
      const forms = doc.querySelectorAll('form');
      expect(forms).toHaveLength(1);
      expect(forms[0]!.getAttribute('method')).toBe('post');
      expect(forms[0]!.getAttribute('action')).toBe('/logout/confirm');
      expect(fieldsOf(forms[0]!)).toEqual({ flow: FLOW, csrf: CSRF });
      const buttons = forms[0]!.querySelectorAll('button');
      expect(buttons.map((b) => [b.getAttribute('name'), b.getAttribute('value'), b.textContent.trim()])).toEqual([
        ['answer', 'logout', t(locale, 'logoutconfirm.yes')],
        ['answer', 'stay', t(locale, 'logoutconfirm.no')],
      ]);
      expect(doc.getElementById(forms[0]!.getAttribute('aria-describedby') ?? '')?.textContent).toBe(t(locale, 'logoutconfirm.message'));
    });
  }

  it('has texts in every language', () => {
    for (const key of ['logoutconfirm.title', 'logoutconfirm.message', 'logoutconfirm.yes', 'logoutconfirm.no', 'logoutkept.title', 'logoutkept.message'] as const) {
      const texts = LOCALES.map((l) => t(l, key));
      for (const s of texts) expect(s.length).toBeGreaterThan(0);
      expect(t('en', key)).not.toBe(t('nb', key));
    }
  });

  it('escapes hostile input', () => {
    const m = renderLogoutConfirmPage({ locale: 'nb', flow: HOSTILE, csrf: HOSTILE, action: '/logout/confirm' });
    expectNoRawHostile(m);
    expect(allText(checkPage(m, { flow: HOSTILE }))).toContain(HOSTILE);
  });

  it('neutralises a javascript: action', () => {
    const m = renderLogoutConfirmPage({ locale: 'nb', flow: FLOW, csrf: CSRF, action: 'javascript:alert(1)' });
    expect(checkPage(m, { flow: FLOW }).querySelector('form')?.getAttribute('action')).toBe('about:blank');
  });
});

describe('logout declined page', () => {
  for (const locale of LOCALES) {
    it(`says the user is still logged in, in ${locale}`, () => {
      const doc = checkPage(renderLogoutDeclinedPage({ locale }), { locale });
      expect(doc.querySelector('h1')?.textContent).toBe(t(locale, 'logoutkept.title'));
      expect(doc.querySelectorAll('form')).toHaveLength(0);
    });
  }
});
