import { describe, expect, it } from 'vitest';
import {
  LOCALES,
  renderDemoResultPage,
  renderDemoStartPage,
  renderEidSelectPage,
  renderErrorPage,
  renderFormPostPage,
  renderFrontChannelLogoutPage,
  renderLoggedOutPage,
  renderNoRepresentationPage,
  renderOrgPickerPage,
  renderTestIdPage,
  t,
  type DemoDefaults,
} from '../../src/ui/index.js';
import { renderLogoutConfirmPage } from '../../src/ui/pages/logout-confirm.js';
import { renderLogoutDeclinedPage } from '../../src/ui/pages/logout-confirm-declined.js';
import { allText, checkPage, expectNoRawHostile, fieldsOf, HOSTILE } from './page-checks.js';

const FLOW = 'flow_ab12';
const CSRF = 'csrf_cd34';
const NONCE = 'bm9uY2U';

const persons = [
  { pid: '15895010046', given_name: 'FIKTIV', family_name: 'TESTPERSON' },
  { pid: '01848299877', given_name: 'LUR', family_name: 'KATT' },
];

const defaults: DemoDefaults = {
  scope: 'openid profile',
  acr_values: 'substantial',
  ui_locales: '',
  authorization_details: '',
  prompt: '',
  response_mode: 'query',
  use_par: false,
};

describe('error page', () => {
  it('renders message and code without a return action', () => {
    const m = renderErrorPage({ locale: 'en', message: 'Unknown client', errorCode: 'invalid_client' });
    const doc = checkPage(m, { locale: 'en' });
    expect(doc.querySelector('h1')?.textContent).toBe('Something went wrong');
    expect(doc.querySelector('[role="alert"]')?.textContent).toContain('Unknown client');
    expect(m).toContain('Error code: invalid_client');
    expect(doc.querySelectorAll('form')).toHaveLength(0);
  });

  it('renders a return-to-service POST form', () => {
    const m = renderErrorPage({
      locale: 'nb',
      title: 'Avbrutt',
      message: 'Du avbrøt innloggingen.',
      returnAction: { url: 'https://rp.example/cb', fields: { error: 'access_denied', state: 's1', iss: 'https://op' } },
    });
    const doc = checkPage(m);
    const form = doc.querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.getAttribute('action')).toBe('https://rp.example/cb');
    expect(fieldsOf(form!)).toEqual({ error: 'access_denied', state: 's1', iss: 'https://op' });
    expect(form?.querySelector('button')?.textContent).toBe(t('nb', 'common.returnToService'));
  });

  it('escapes hostile input in every field', () => {
    const m = renderErrorPage({
      locale: 'nb',
      title: HOSTILE,
      message: HOSTILE,
      errorCode: HOSTILE,
      flow: HOSTILE,
      returnAction: { url: `https://rp.example/cb?"><script>`, fields: { [HOSTILE]: HOSTILE }, label: HOSTILE },
    });
    expectNoRawHostile(m);
    const doc = checkPage(m, { flow: HOSTILE });
    expect(allText(doc)).toContain(HOSTILE);
    expect(doc.querySelector('form')?.getAttribute('action')).toBe(`https://rp.example/cb?"><script>`);
  });

  it('neutralises a javascript: return URL', () => {
    const m = renderErrorPage({ locale: 'nb', message: 'x', returnAction: { url: 'javascript:alert(1)', fields: {} } });
    expect(checkPage(m).querySelector('form')?.getAttribute('action')).toBe('about:blank');
  });
});

describe('eID selector', () => {
  const eids = [
    { id: 'testid', name: 'TestID', description: 'Syntetiske testbrukere' },
    { id: 'minid', name: 'MinID' },
  ];
  it('posts eid buttons to /login/select and has a cancel form', () => {
    const m = renderEidSelectPage({ locale: 'nn', flow: FLOW, csrf: CSRF, clientName: 'Demo', eids, cancelUrl: '/login/cancel' });
    const doc = checkPage(m, { locale: 'nn', flow: FLOW });
    const [select, cancel] = doc.querySelectorAll('form');
    expect(select?.getAttribute('action')).toBe('/login/select');
    expect(select?.getAttribute('method')).toBe('post');
    expect(fieldsOf(select!)).toEqual({ flow: FLOW, csrf: CSRF });
    const buttons = select!.querySelectorAll('button[name="eid"]');
    expect(buttons.map((b) => b.getAttribute('value'))).toEqual(['testid', 'minid']);
    expect(buttons.every((b) => b.getAttribute('type') === 'submit')).toBe(true);
    expect(select!.querySelector('fieldset legend')).not.toBeNull();
    expect(cancel?.getAttribute('action')).toBe('/login/cancel');
    expect(cancel?.getAttribute('method')).toBe('post');
    expect(fieldsOf(cancel!)).toEqual({ flow: FLOW, csrf: CSRF });
    expect(m).toContain('Demo');
  });

  it('an eID with a page of its own opens it by GET with only the flow (no CSRF token in the URL); the others post the choice', () => {
    const m = renderEidSelectPage({ locale: 'en', flow: FLOW, csrf: CSRF, clientName: 'Demo', eids: [{ ...eids[0]!, page: '/login/testid' }, eids[1]!], cancelUrl: '/login/cancel' });
    const doc = checkPage(m, { locale: 'en', flow: FLOW });
    const [testid, minid] = doc.querySelectorAll('button[name="eid"]');
    expect(testid?.getAttribute('form')).toBe('open-testid');
    expect(minid?.hasAttribute('form')).toBe(false);
    const open = doc.querySelector('form#open-testid')!;
    expect(open.getAttribute('method')).toBe('get');
    expect(open.getAttribute('action')).toBe('/login/testid');
    expect(fieldsOf(open)).toEqual({ flow: FLOW });
    // The choice form itself is unchanged and still the first form on the page.
    const [select, cancel] = doc.querySelectorAll('form');
    expect(select?.getAttribute('action')).toBe('/login/select');
    expect(cancel?.getAttribute('action')).toBe('/login/cancel');
  });

  it('handles an empty list', () => {
    const m = renderEidSelectPage({ locale: 'en', flow: FLOW, csrf: CSRF, clientName: 'Demo', eids: [], cancelUrl: '/login/cancel' });
    const doc = checkPage(m, { locale: 'en', flow: FLOW });
    expect(m).toContain(t('en', 'eid.none'));
    expect(doc.querySelectorAll('form')).toHaveLength(1);
  });

  it('escapes hostile input in every field', () => {
    const m = renderEidSelectPage({
      locale: 'nb',
      flow: HOSTILE,
      csrf: HOSTILE,
      clientName: HOSTILE,
      eids: [{ id: HOSTILE, name: HOSTILE, description: HOSTILE }],
      cancelUrl: '/login/cancel',
    });
    expectNoRawHostile(m);
    const doc = checkPage(m, { flow: HOSTILE });
    expect(doc.querySelector('button[name="eid"]')?.getAttribute('value')).toBe(HOSTILE);
    expect(fieldsOf(doc.querySelector('form')!)).toEqual({ flow: HOSTILE, csrf: HOSTILE });
  });
});

describe('TestID page', () => {
  const base = {
    locale: 'nb' as const,
    flow: FLOW,
    csrf: CSRF,
    clientName: 'Demo',
    persons,
    acrOptions: ['substantial', 'high'] as ('substantial' | 'high')[],
    selectedAcr: 'high' as const,
    cancelUrl: '/login/cancel',
  };

  it('has a pid text field, acr radios and one form per person', () => {
    const m = renderTestIdPage(base);
    const doc = checkPage(m, { flow: FLOW });
    const main = doc.getElementById('testid-form')!;
    expect(main.getAttribute('action')).toBe('/login/testid');
    expect(main.getAttribute('method')).toBe('post');
    expect(fieldsOf(main)).toEqual({ flow: FLOW, csrf: CSRF });

    const pid = main.querySelector('input[name="pid"]')!;
    expect(pid.getAttribute('type')).toBe('text');
    expect(pid.getAttribute('inputmode')).toBe('numeric');
    expect(pid.getAttribute('autocomplete')).toBe('off');
    expect(pid.getAttribute('pattern')).toBe('[0-9]{11}');
    expect(doc.querySelector('label[for="pid"]')).not.toBeNull();
    expect(pid.hasAttribute('aria-invalid')).toBe(false);

    const radios = main.querySelectorAll('input[type="radio"][name="acr"]');
    expect(radios.map((r) => r.getAttribute('value'))).toEqual(['substantial', 'high']);
    expect(radios.map((r) => r.hasAttribute('checked'))).toEqual([false, true]);
    expect(main.querySelector('fieldset legend')?.textContent).toBe('Sikkerhetsnivå');

    const personForms = doc.querySelectorAll('form').filter((f) => f.querySelector('button[name="pid"]'));
    expect(personForms).toHaveLength(2);
    for (const [i, f] of personForms.entries()) {
      expect(f.getAttribute('action')).toBe('/login/testid');
      expect(f.getAttribute('method')).toBe('post');
      expect(fieldsOf(f)).toEqual({ flow: FLOW, csrf: CSRF, acr: 'high' });
      const b = f.querySelector('button')!;
      expect(b.getAttribute('type')).toBe('submit');
      expect(b.getAttribute('value')).toBe(persons[i]?.pid);
      expect(b.textContent).toContain(`${persons[i]?.given_name} ${persons[i]?.family_name}`);
      expect(b.textContent).toContain('Logg inn som');
    }
    const cancel = doc.querySelectorAll('form').at(-1)!;
    expect(cancel.getAttribute('action')).toBe('/login/cancel');
    expect(fieldsOf(cancel)).toEqual({ flow: FLOW, csrf: CSRF });
  });

  it('shows an error with role=alert referenced by aria-describedby and keeps the value', () => {
    const m = renderTestIdPage({ ...base, locale: 'en', pidValue: '123', error: t('en', 'testid.errorFormat') });
    const doc = checkPage(m, { locale: 'en', flow: FLOW });
    const alert = doc.querySelector('[role="alert"]')!;
    expect(alert.textContent).toBe(t('en', 'testid.errorFormat'));
    const pid = doc.getElementById('pid')!;
    expect(pid.getAttribute('aria-describedby')?.split(' ')).toContain(alert.getAttribute('id'));
    expect(pid.getAttribute('aria-invalid')).toBe('true');
    expect(pid.getAttribute('value')).toBe('123');
  });

  it('falls back to the first offered level when selectedAcr is not offered', () => {
    const m = renderTestIdPage({ ...base, acrOptions: ['substantial'], selectedAcr: 'high' });
    const doc = checkPage(m, { flow: FLOW });
    expect(doc.querySelector('input[name="acr"][checked]')?.getAttribute('value')).toBe('substantial');
    expect(doc.querySelector('input[data-acr-sync]')?.getAttribute('value')).toBe('substantial');
  });

  it('has no script without nonce, and only the nonce one with it', () => {
    expect(renderTestIdPage(base)).not.toContain('<script');
    checkPage(renderTestIdPage({ ...base, nonce: NONCE }), { flow: FLOW, nonce: NONCE });
  });

  it('escapes hostile input in every field', () => {
    const m = renderTestIdPage({
      ...base,
      flow: HOSTILE,
      csrf: HOSTILE,
      clientName: HOSTILE,
      persons: [{ pid: HOSTILE, given_name: HOSTILE, family_name: HOSTILE }],
      pidValue: HOSTILE,
      error: HOSTILE,
      nonce: `"${HOSTILE}`,
    });
    expectNoRawHostile(m);
    const doc = checkPage(m, { flow: HOSTILE, nonce: `"${HOSTILE}` });
    expect(doc.getElementById('pid')?.getAttribute('value')).toBe(HOSTILE);
    expect(doc.querySelector('button[name="pid"]')?.getAttribute('value')).toBe(HOSTILE);
    expect(doc.querySelector('[role="alert"]')?.textContent).toBe(HOSTILE);
  });
});

describe('form_post page', () => {
  const fields = { code: 'abc.def', state: 'st<&>"', iss: 'https://test.ansattporten.no' };

  it('auto-submits a POST form with hidden fields, with a noscript button, and only the nonce script', () => {
    const m = renderFormPostPage({ action: 'https://rp.example/callback', fields, nonce: NONCE });
    const doc = checkPage(m, { nonce: NONCE, switcher: false });
    const forms = doc.querySelectorAll('form');
    expect(forms).toHaveLength(1);
    expect(forms[0]?.getAttribute('method')).toBe('post');
    expect(forms[0]?.getAttribute('action')).toBe('https://rp.example/callback');
    expect(fieldsOf(forms[0]!)).toEqual(fields);
    const noscript = doc.querySelector('noscript')!;
    expect(noscript.querySelector('button[type="submit"]')).not.toBeNull();
    const scripts = doc.querySelectorAll('script');
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.getAttribute('nonce')).toBe(NONCE);
    expect((m.match(/<script/g) ?? []).length).toBe(1);
    expect(m).not.toMatch(/\son[a-z]+=/i);
  });

  it('escapes hostile input in every field', () => {
    const m = renderFormPostPage({ action: `https://rp.example/cb?a="><script>`, fields: { [HOSTILE]: HOSTILE }, nonce: HOSTILE, locale: 'se' });
    expectNoRawHostile(m);
    const doc = checkPage(m, { nonce: HOSTILE, switcher: false, locale: 'se' });
    expect(fieldsOf(doc.querySelector('form')!)).toEqual({ [HOSTILE]: HOSTILE });
  });
});

describe('no-representation page', () => {
  it('explains and offers a return POST with flow and csrf', () => {
    const m = renderNoRepresentationPage({ locale: 'en', flow: FLOW, csrf: CSRF, clientName: 'Demo', returnUrl: '/login/return' });
    const doc = checkPage(m, { locale: 'en', flow: FLOW });
    expect(doc.querySelector('h1')?.textContent).toBe(t('en', 'norep.title'));
    expect(m).toContain(t('en', 'norep.message', { client: 'Demo' }));
    const form = doc.querySelector('form')!;
    expect(form.getAttribute('action')).toBe('/login/return');
    expect(form.getAttribute('method')).toBe('post');
    expect(fieldsOf(form)).toEqual({ flow: FLOW, csrf: CSRF });
  });

  it('escapes hostile input in every field', () => {
    const m = renderNoRepresentationPage({ locale: 'nb', flow: HOSTILE, csrf: HOSTILE, clientName: HOSTILE, returnUrl: `/x?"><script>` });
    expectNoRawHostile(m);
    const doc = checkPage(m, { flow: HOSTILE });
    expect(fieldsOf(doc.querySelector('form')!)).toEqual({ flow: HOSTILE, csrf: HOSTILE });
  });
});

describe('logged-out page', () => {
  for (const locale of LOCALES) {
    it(`renders in ${locale}`, () => {
      const m = renderLoggedOutPage({ locale });
      const doc = checkPage(m, { locale });
      expect(doc.querySelector('h1')?.textContent).toBe(t(locale, 'loggedout.title'));
      expect(doc.querySelectorAll('form')).toHaveLength(0);
    });
  }
  it('honours langPath', () => {
    const m = renderLoggedOutPage({ locale: 'nb', langPath: '/logout/done' });
    expect(m).toContain('href="/logout/done?lang=en"');
  });
});

describe('front-channel logout page', () => {
  const frames = ['https://rp1.example/fcl?iss=https%3A%2F%2Fop&sid=s1', 'https://rp2.example/logout'];

  it('renders one hidden iframe per URL, a continue link and the nonce script', () => {
    const m = renderFrontChannelLogoutPage({ locale: 'nb', frames, continueUrl: 'https://rp1.example/bye?state=x', nonce: NONCE, waitMs: 4000 });
    const doc = checkPage(m, { nonce: NONCE });
    const iframes = doc.querySelectorAll('iframe[data-fcl]');
    expect(iframes.map((f) => f.getAttribute('src'))).toEqual(frames);
    for (const f of iframes) {
      expect(f.getAttribute('title')).toMatch(/^Utlogging fra rp\d\.example$/);
      expect(f.getAttribute('aria-hidden')).toBe('true');
      expect(f.getAttribute('tabindex')).toBe('-1');
      expect(f.getAttribute('class')).toBe('fcl-frame');
    }
    const link = doc.getElementById('fcl-continue')!;
    expect(link.tag).toBe('a');
    expect(link.getAttribute('href')).toBe('https://rp1.example/bye?state=x');
    // The script is in <head>, before the iframes.
    expect(doc.querySelector('head script')).not.toBeNull();
  });

  it('says "logged out" when there is no continue URL', () => {
    const m = renderFrontChannelLogoutPage({ locale: 'en', frames, nonce: NONCE, waitMs: 4000 });
    const doc = checkPage(m, { locale: 'en', nonce: NONCE });
    expect(doc.querySelector('h1')?.textContent).toBe('You are logged out');
    expect(doc.getElementById('fcl-continue')).toBeNull();
  });

  it('drops dangerous URLs and escapes hostile input', () => {
    const m = renderFrontChannelLogoutPage({
      locale: 'nb',
      frames: ['javascript:alert(1)', `https://rp.example/"><script>alert(1)</script>`],
      continueUrl: `https://rp.example/"><script>alert(1)</script>`,
      nonce: HOSTILE,
      waitMs: 1000,
    });
    expectNoRawHostile(m);
    const doc = checkPage(m, { nonce: HOSTILE });
    expect(doc.querySelectorAll('iframe').map((f) => f.getAttribute('src'))).toEqual([`https://rp.example/"><script>alert(1)</script>`]);
    expect(doc.querySelectorAll('script')).toHaveLength(1);
  });
});

describe('demo start page', () => {
  it('has a GET form to /demo/login with all fields', () => {
    const m = renderDemoStartPage({
      locale: 'en',
      issuer: 'https://test.ansattporten.no',
      clientId: 'demo-client',
      defaults: { ...defaults, acr_values: 'substantial high', ui_locales: 'nn', prompt: 'login', response_mode: 'form_post', use_par: true, authorization_details: '[{"type":"ansattporten:altinn:resource"}]' },
    });
    const doc = checkPage(m, { locale: 'en' });
    const form = doc.querySelector('form')!;
    expect(form.getAttribute('method')).toBe('get');
    expect(form.getAttribute('action')).toBe('/demo/login');
    expect(form.querySelector('input[name="scope"]')?.getAttribute('value')).toBe('openid profile');
    const selected = (name: string) => form.querySelector(`select[name="${name}"]`)?.querySelector('option[selected]')?.getAttribute('value');
    expect(form.querySelector('select[name="acr_values"]')!.querySelectorAll('option').map((o) => o.getAttribute('value'))).toEqual([
      'substantial',
      'high',
      'substantial high',
    ]);
    expect(selected('acr_values')).toBe('substantial high');
    expect(selected('ui_locales')).toBe('nn');
    expect(form.querySelector('select[name="prompt"]')!.querySelectorAll('option').map((o) => o.getAttribute('value'))).toEqual(['', 'login', 'none']);
    expect(selected('prompt')).toBe('login');
    expect(selected('response_mode')).toBe('form_post');
    const par = form.querySelector('input[name="use_par"]')!;
    expect(par.getAttribute('type')).toBe('checkbox');
    expect(par.hasAttribute('checked')).toBe(true);
    expect(form.querySelector('textarea[name="authorization_details"]')?.textContent).toBe('[{"type":"ansattporten:altinn:resource"}]');
    const examples = doc.querySelectorAll('ul.example-links a').map((a) => a.getAttribute('href'));
    expect(examples).toContain('/demo?example=resource');
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(m).toContain('demo-client');
    expect(m).toContain('https://test.ansattporten.no');
  });

  it('keeps a non-listed default as an extra selected option', () => {
    const m = renderDemoStartPage({ locale: 'nb', issuer: 'i', clientId: 'c', defaults: { ...defaults, acr_values: 'entraid' } });
    const doc = checkPage(m);
    expect(doc.querySelector('select[name="acr_values"]')?.querySelector('option[selected]')?.getAttribute('value')).toBe('entraid');
  });

  it('escapes hostile input in every field', () => {
    const m = renderDemoStartPage({
      locale: 'nb',
      nonce: HOSTILE,
      issuer: HOSTILE,
      clientId: HOSTILE,
      defaults: { scope: HOSTILE, acr_values: HOSTILE, ui_locales: HOSTILE, authorization_details: `</textarea>${HOSTILE}`, prompt: HOSTILE, response_mode: HOSTILE, use_par: false },
    });
    expectNoRawHostile(m);
    expect(m).not.toContain('</textarea><script');
    const doc = checkPage(m);
    expect(doc.querySelector('textarea')?.textContent).toBe(`</textarea>${HOSTILE}`);
    expect(doc.querySelector('input[name="scope"]')?.getAttribute('value')).toBe(HOSTILE);
  });
});

describe('demo result page', () => {
  const props = {
    locale: 'en' as const,
    issuer: 'https://test.ansattporten.no',
    tokenResponse: { access_token: 'eyJ.a.b', id_token: 'eyJ.c.d', token_type: 'Bearer', expires_in: 600 },
    idTokenHeader: { alg: 'RS256', kid: 'k1' },
    idTokenClaims: { sub: 'abc', acr: 'substantial', authorization_details: [{ type: 'ansattporten:altinn:resource' }] },
  };

  it('shows pretty JSON in pre blocks under headings with login-again and logout', () => {
    const m = renderDemoResultPage({
      ...props,
      accessTokenClaims: { scope: 'openid' },
      userinfo: { sub: 'abc' },
      logoutUrl: 'https://op.example/logout?client_id=demo',
      logoutFields: { id_token_hint: 'eyJ.c.d', post_logout_redirect_uri: 'https://op.example/demo' },
    });
    const doc = checkPage(m, { locale: 'en' });
    const pres = doc.querySelectorAll('pre');
    expect(pres).toHaveLength(5);
    expect(JSON.parse(pres[0]!.textContent)).toEqual(props.tokenResponse);
    expect(pres[2]!.textContent).toBe(JSON.stringify(props.idTokenClaims, null, 2));
    expect(doc.querySelectorAll('h2').map((h) => h.textContent)).toEqual([
      'Token response',
      'ID token: header',
      'ID token: claims',
      'Access token: claims',
      'Userinfo',
    ]);
    expect(doc.querySelector('a.btn')?.getAttribute('href')).toBe('/demo');
    const form = doc.querySelector('form')!;
    expect(form.getAttribute('method')).toBe('get');
    expect(form.getAttribute('action')).toBe('https://op.example/logout');
    expect(fieldsOf(form)).toEqual({ client_id: 'demo', id_token_hint: 'eyJ.c.d', post_logout_redirect_uri: 'https://op.example/demo' });
    // The switcher leads back to /demo (the callback URL cannot be reloaded).
    expect(doc.querySelector('nav.lang-switcher a')?.getAttribute('href')).toBe('/demo?lang=nb');
  });

  it('omits optional sections and the logout form', () => {
    const m = renderDemoResultPage(props);
    const doc = checkPage(m, { locale: 'en' });
    expect(doc.querySelectorAll('pre')).toHaveLength(3);
    expect(doc.querySelectorAll('form')).toHaveLength(0);
  });

  it('supports a POST logout form', () => {
    const m = renderDemoResultPage({ ...props, logoutUrl: '/logout', logoutFields: { id_token_hint: 'x' }, logoutMethod: 'post' });
    const form = checkPage(m, { locale: 'en' }).querySelector('form')!;
    expect(form.getAttribute('method')).toBe('post');
    expect(fieldsOf(form)).toEqual({ id_token_hint: 'x' });
  });

  it('escapes hostile input in every field', () => {
    const m = renderDemoResultPage({
      locale: 'nb',
      issuer: HOSTILE,
      tokenResponse: { [HOSTILE]: HOSTILE },
      idTokenHeader: { x: HOSTILE },
      idTokenClaims: { x: HOSTILE },
      accessTokenClaims: { x: HOSTILE },
      userinfo: { x: HOSTILE },
      logoutUrl: `https://op.example/logout?a="><script>`,
      logoutFields: { [HOSTILE]: HOSTILE },
      demoPath: `/demo"><script>`,
    });
    expectNoRawHostile(m);
    const doc = checkPage(m);
    expect(JSON.parse(doc.querySelector('pre')!.textContent)).toEqual({ [HOSTILE]: HOSTILE });
  });
});

describe('every page in every locale', () => {
  for (const locale of LOCALES) {
    it(`renders all pages in ${locale} with localized chrome`, () => {
      const pages = [
        renderErrorPage({ locale, message: 'm' }),
        renderEidSelectPage({ locale, flow: FLOW, csrf: CSRF, clientName: 'Demo', eids: [{ id: 'testid', name: 'TestID' }], cancelUrl: '/login/cancel' }),
        renderTestIdPage({ locale, flow: FLOW, csrf: CSRF, clientName: 'Demo', persons, acrOptions: ['substantial', 'high'], selectedAcr: 'substantial', cancelUrl: '/login/cancel' }),
        renderOrgPickerPage({
          locale,
          flow: FLOW,
          csrf: CSRF,
          clientName: 'Demo',
          parties: [{ orgno: '310000019', name: 'A AS', unit_type: 'AS', deleted: false, subunits: [] }],
          allowMultiple: false,
          allowSelf: true,
          preselected: [],
          personName: 'P',
          nonce: NONCE,
          cancelUrl: '/login/cancel',
        }),
        renderNoRepresentationPage({ locale, flow: FLOW, csrf: CSRF, clientName: 'Demo', returnUrl: '/r' }),
        renderLoggedOutPage({ locale }),
        renderFrontChannelLogoutPage({ locale, frames: [], nonce: NONCE, waitMs: 1 }),
        renderDemoStartPage({ locale, issuer: 'i', clientId: 'c', defaults }),
        renderDemoResultPage({ locale, issuer: 'i', tokenResponse: {}, idTokenHeader: {}, idTokenClaims: {} }),
        renderLogoutConfirmPage({ locale, flow: FLOW, csrf: CSRF, action: '/logout/confirm' }),
        renderLogoutDeclinedPage({ locale }),
      ];
      for (const m of pages) {
        expect(m).toContain(`<html lang="${locale}">`);
        expect(m).toContain(t(locale, 'footer.disclaimer'));
        expect(m).toContain('href="/assets/app.css"');
      }
      expect(renderFormPostPage({ action: '/x', fields: {}, nonce: NONCE, locale })).toContain(t(locale, 'footer.disclaimer'));
    });
  }
});
