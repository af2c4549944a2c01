import { describe, expect, it } from 'vitest';
import { APP_CSS, APP_CSS_PATH } from '../../src/ui/index.js';

describe('APP_CSS', () => {
  it('is served at /assets/app.css', () => {
    expect(APP_CSS_PATH).toBe('/assets/app.css');
  });
  it('loads nothing external (no fonts, images or imports)', () => {
    expect(APP_CSS).not.toMatch(/@import|@font-face|url\(/i);
  });
  it('has balanced braces', () => {
    expect((APP_CSS.match(/\{/g) ?? []).length).toBe((APP_CSS.match(/\}/g) ?? []).length);
  });
  it('keeps [hidden] hidden, shows focus and has a visually-hidden utility', () => {
    expect(APP_CSS).toMatch(/\[hidden\]\s*\{\s*display:\s*none\s*!important/);
    expect(APP_CSS).toContain(':focus-visible');
    expect(APP_CSS).toContain('.visually-hidden');
    expect(APP_CSS).toContain('@media');
  });
  it('styles every class used by the pages', async () => {
    const { renderOrgPickerPage, renderTestIdPage, renderDemoStartPage, renderDemoResultPage, renderEidSelectPage, renderFrontChannelLogoutPage, renderErrorPage } =
      await import('../../src/ui/index.js');
    const pages = [
      renderOrgPickerPage({
        locale: 'nb', flow: 'f', csrf: 'c', clientName: 'x', personName: 'p', nonce: 'n', cancelUrl: '/c', allowMultiple: true, allowSelf: true, preselected: [],
        parties: [
          { orgno: '310000019', name: 'a', unit_type: 'AS', deleted: true, subunits: [{ orgno: '810000019', name: 'b', unit_type: 'BEDR', deleted: false }] },
          { orgno: '310000027', name: 'c', unit_type: 'AS', deleted: false, selectable: false, subunits: [] },
        ],
      }),
      renderTestIdPage({ locale: 'nb', flow: 'f', csrf: 'c', clientName: 'x', cancelUrl: '/c', persons: [{ pid: '1', given_name: 'a', family_name: 'b' }], acrOptions: ['substantial'], selectedAcr: 'substantial', error: 'e' }),
      renderDemoStartPage({ locale: 'nb', issuer: 'i', clientId: 'c', defaults: { scope: '', acr_values: '', ui_locales: '', authorization_details: '', prompt: '', response_mode: '', use_par: false } }),
      renderDemoResultPage({ locale: 'nb', issuer: 'i', tokenResponse: {}, idTokenHeader: {}, idTokenClaims: {}, logoutUrl: '/logout' }),
      renderEidSelectPage({ locale: 'nb', flow: 'f', csrf: 'c', clientName: 'x', cancelUrl: '/c', eids: [{ id: 'testid', name: 'TestID', description: 'd' }] }),
      renderFrontChannelLogoutPage({ locale: 'nb', frames: ['https://a/'], continueUrl: 'https://b/', nonce: 'n', waitMs: 1 }),
      renderErrorPage({ locale: 'nb', message: 'm' }),
    ];
    const classes = new Set<string>();
    for (const p of pages) for (const m of p.matchAll(/class="([^"]*)"/g)) for (const c of (m[1] ?? '').split(/\s+/)) if (c) classes.add(c);
    const unstyled = [...classes].filter((c) => !new RegExp(`\\.${c.replace(/-/g, '\\-')}(?![\\w-])`).test(APP_CSS));
    // Classes used only as hooks for tests/scripts:
    expect(unstyled.filter((c) => !['cancel-form'].includes(c))).toEqual([]);
  });
});
