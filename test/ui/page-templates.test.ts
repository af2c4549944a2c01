import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/http/render-view.js';
import { PageTemplates, type TemplateSlots } from '../../src/ui/page-templates.js';
import { renderEidSelectPage, renderTestIdPage } from '../../src/ui/index.js';
import type { EidSelectPageProps } from '../../src/ui/pages/eid-select.js';
import type { TestIdPageProps } from '../../src/ui/pages/testid.js';

const persons = [
  { pid: '15895010046', given_name: 'Kari', family_name: 'Nordmann' },
  { pid: '05917199417', given_name: 'Ola', family_name: 'Normann' },
];
const selector = (over: Partial<EidSelectPageProps> = {}): EidSelectPageProps => ({
  locale: 'nb', flow: 'flowAAAAAAAAAAAAAAAAAAAA', csrf: 'csrfBBBBBBBBBBBBBBBBBBBB', clientName: 'Demo',
  eids: [{ id: 'testid', name: 'TestID', page: '/login/testid' }, { id: 'minid', name: 'MinID' }], cancelUrl: '/login/cancel', ...over,
});
const testid = (over: Partial<TestIdPageProps> = {}): TestIdPageProps => ({
  locale: 'en', flow: 'flowCCCCCCCCCCCCCCCCCCCC', csrf: 'csrfDDDDDDDDDDDDDDDDDDDD', clientName: 'Demo', persons,
  acrOptions: ['substantial', 'high'], selectedAcr: 'substantial', cancelUrl: '/login/cancel',
  generalManager: { ...persons[0]!, organization_name: 'Org AS' }, ...over,
});
const slots = (flow: string, csrf: string, nonce: string): TemplateSlots => ({ flow, csrf, nonce });
const viaSelector = (t: PageTemplates, p: EidSelectPageProps, nonce = 'n') =>
  t.render('eid-select', p, slots(p.flow, p.csrf, nonce), (q, s) => renderEidSelectPage({ ...q, flow: s.flow, csrf: s.csrf }));
const viaTestId = (t: PageTemplates, p: TestIdPageProps, nonce: string) =>
  t.render('testid', p, slots(p.flow, p.csrf, nonce), (q, s) => renderTestIdPage({ ...q, flow: s.flow, csrf: s.csrf, nonce: s.nonce }), ['persons']);

describe('page templates', () => {
  it('give exactly the page a fresh render gives, for every flow, CSRF token and nonce, from one template', () => {
    const t = new PageTemplates();
    for (let i = 0; i < 5; i++) {
      const p = selector({ flow: `flow${i}xxxxxxxxxxxxxxxxxxx`, csrf: `csrf${i}_-yyyyyyyyyyyyyyy` });
      expect(viaSelector(t, p)).toBe(renderEidSelectPage(p));
      const q = testid({ flow: `flow${i}zzzzzzzzzzzzzzzzzzz`, csrf: `csrf${i}wwwwwwwwwwwwwwwwwww` });
      expect(viaTestId(t, q, `nonce${i}`)).toBe(renderTestIdPage({ ...q, nonce: `nonce${i}` }));
    }
    expect(t.size).toBe(2);
    // The flow appears in the hidden fields and in the language links; all of them are the request's.
    const page = viaSelector(t, selector({ flow: 'theFlowOfThisLogin123456' }));
    expect(page.match(/theFlowOfThisLogin123456/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it('keep one template per content: another locale, client, level, general manager or test world is another page', () => {
    const t = new PageTemplates();
    const variants: TestIdPageProps[] = [
      testid(), testid({ locale: 'nn' }), testid({ clientName: 'Another RP' }), testid({ acrOptions: ['high'], selectedAcr: 'high' }),
      testid({ generalManager: { ...persons[1]!, organization_name: 'Other AS' } }), testid({ persons: persons.map((p) => ({ ...p, given_name: `${p.given_name}x` })) }),
    ];
    for (const v of variants) expect(viaTestId(t, v, 'nonce1')).toBe(renderTestIdPage({ ...v, nonce: 'nonce1' }));
    expect(t.size).toBe(variants.length);
  });

  it('render afresh (and keep nothing) when a value is not plain base64url', () => {
    const t = new PageTemplates();
    const hostile = selector({ flow: 'x"><script>alert(1)</script>' });
    const page = viaSelector(t, hostile);
    expect(page).toBe(renderEidSelectPage(hostile));
    expect(page).not.toContain('<script>alert(1)');
    expect(t.size).toBe(0);
  });

  it('show a client name that looks like a placeholder as text, and stay bounded', () => {
    const t = new PageTemplates(3);
    const p = selector({ clientName: 'Z0123456789abcdef01234567Z' });
    expect(viaSelector(t, p)).toBe(renderEidSelectPage(p));
    for (let i = 0; i < 6; i++) viaSelector(t, selector({ clientName: `Client ${i}` }));
    expect(t.size).toBe(3);
  });

  it('drop the least recently used first, and keep their characters within the bound', () => {
    const one = renderEidSelectPage(selector()).length;
    const t = new PageTemplates(100, Math.floor(one * 2.5)); // room for two pages
    const render = (name: string) => viaSelector(t, selector({ clientName: name }));
    render('A');
    render('B');
    render('A'); // A is now the most recently used
    render('C'); // over the bound: B goes, not A
    expect(t.size).toBe(2);
    expect(t.totalChars).toBeLessThanOrEqual(Math.floor(one * 2.5));
    let made = 0;
    const counting = (name: string) => t.render('eid-select', selector({ clientName: name }), slots('f', 'c', 'n'), (q, s) => { made++; return renderEidSelectPage({ ...q, flow: s.flow, csrf: s.csrf }); });
    counting('A');
    counting('C');
    expect(made).toBe(0);
    counting('B');
    expect(made).toBe(1);
  });

  it('are what renderView answers for the selector and TestID; a TestID page with an error is rendered afresh', () => {
    const s = selector();
    expect(renderView({ page: 'eid-select', props: s }).render('nonceA')).toBe(renderEidSelectPage(s));
    const p = testid();
    const view = renderView({ page: 'testid', props: p });
    expect(view.script).toBe(true);
    expect(view.render('nonceB')).toBe(renderTestIdPage({ ...p, nonce: 'nonceB' }));
    expect(view.render('nonceC')).toContain("'nonceC'".slice(1, -1));
    const withError = testid({ error: 'Wrong number', pidValue: '123' });
    expect(renderView({ page: 'testid', props: withError }).render('nonceD')).toBe(renderTestIdPage({ ...withError, nonce: 'nonceD' }));
  });
});
