import { describe, expect, it } from 'vitest';
import { renderOrgPickerPage, t, type OrgParty, type OrgPickerPageProps } from '../../src/ui/index.js';
import { makeEvent, parseHtml, runScript, scriptsOf, type Element, type ParsedDocument } from './mini-dom.js';
import { allText, checkPage, expectNoRawHostile, fieldsOf, HOSTILE } from './page-checks.js';

const FLOW = 'flow_ab12';
const CSRF = 'csrf_cd34';
const NONCE = 'bm9uY2U';

/** 300 main units; every third has two sub-units; every tenth is deleted. */
function makeParties(n = 300): OrgParty[] {
  const parties: OrgParty[] = [];
  for (let i = 0; i < n; i++) {
    const orgno = String(310000000 + i * 10).padStart(9, '0');
    const subunits =
      i % 3 === 0
        ? [0, 1].map((j) => ({
            orgno: String(810000000 + i * 10 + j).padStart(9, '0'),
            name: `Avdeling ${j === 0 ? 'Nord' : 'Sør'} ${i}`,
            unit_type: 'BEDR',
            deleted: j === 1 && i % 2 === 0,
          }))
        : [];
    parties.push({ orgno, name: `Fiktiv Bedrift ${i} AS`, unit_type: i % 7 === 0 ? 'ENK' : 'AS', deleted: i % 10 === 9, subunits });
  }
  return parties;
}

const base = (over: Partial<OrgPickerPageProps> = {}): OrgPickerPageProps => ({
  locale: 'nb',
  flow: FLOW,
  csrf: CSRF,
  clientName: 'Demo-tjenesten',
  parties: makeParties(),
  allowMultiple: false,
  allowSelf: true,
  preselected: [],
  personName: 'FIKTIV TESTPERSON',
  nonce: NONCE,
  cancelUrl: '/login/cancel',
  ...over,
});

const orgForm = (doc: ParsedDocument) => doc.getElementById('org-form') as Element;
const orgInputs = (doc: ParsedDocument) => orgForm(doc).querySelectorAll('input[name="orgno"]');

describe('organisation picker: markup', () => {
  it('renders 300 parties as radio buttons with sub-units grouped beneath their main unit', () => {
    const parties = makeParties();
    const m = renderOrgPickerPage(base({ parties }));
    const doc = checkPage(m, { flow: FLOW, nonce: NONCE });
    const form = orgForm(doc);
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('action')).toBe('/login/organizations');
    expect(fieldsOf(form)).toEqual({ flow: FLOW, csrf: CSRF });

    const subCount = parties.reduce((n, p) => n + p.subunits.length, 0);
    const inputs = orgInputs(doc);
    expect(inputs).toHaveLength(1 + 300 + subCount); // self + mains + subs
    expect(inputs.every((i) => i.getAttribute('type') === 'radio')).toBe(true);
    expect(inputs[0]?.getAttribute('value')).toBe('self');
    for (const i of inputs.slice(1)) expect(i.getAttribute('value')).toMatch(/^[0-9]{9}$/);

    const list = doc.getElementById('org-list')!;
    const mains = list.elements;
    expect(mains).toHaveLength(300);
    for (const [idx, li] of mains.entries()) {
      const party = parties[idx]!;
      expect(li.querySelector('input')?.getAttribute('value')).toBe(party.orgno);
      const subs = li.querySelectorAll('ul.org-sublist input');
      expect(subs.map((s) => s.getAttribute('value'))).toEqual(party.subunits.map((s) => s.orgno));
      if (party.subunits.length) {
        expect(li.querySelector('ul.org-sublist')?.getAttribute('aria-label')).toBe(`Underenheter av ${party.name}`);
      }
    }
    // Everything is inside one fieldset with a legend.
    expect(form.querySelectorAll('fieldset')).toHaveLength(1);
    expect(form.querySelector('fieldset legend')?.textContent).toBe(t('nb', 'org.legendSingleSelf'));
    // No JS: the search box is hidden and the full list is visible.
    expect(doc.getElementById('org-search')?.hidden).toBe(true);
    expect(list.descendants().some((e) => e.hidden)).toBe(false);
  });

  it('shows formatted organisation numbers, unit types and deleted markers', () => {
    const m = renderOrgPickerPage(base());
    const doc = parseHtml(m);
    const label = doc.querySelector('label[for="org-0"]')!;
    expect(label.textContent).toContain('Fiktiv Bedrift 0 AS');
    expect(label.textContent).toContain('Org.nr. 310 000 000');
    expect(label.textContent).toContain('ENK');
    const deletedLabel = doc.querySelector('label[for="org-9"]')!; // i=9 is deleted
    expect(deletedLabel.querySelector('.badge-deleted')?.textContent).toBe('Slettet');
    expect(doc.querySelector('label[for="org-1"]')!.querySelector('.badge-deleted')).toBeNull();
    const deletedSub = doc.querySelector('label[for="org-0-1"]')!; // i=0, j=1 is deleted
    expect(deletedSub.textContent).toContain('Slettet');
    expect(deletedSub.textContent).toContain('BEDR');
    expect(deletedSub.textContent).toContain('Org.nr. 810 000 001');
  });

  it('checks exactly one preselected radio', () => {
    const m = renderOrgPickerPage(base({ preselected: ['999999999', '310000020', '310000030'] }));
    const checked = orgInputs(parseHtml(m)).filter((i) => i.hasAttribute('checked'));
    expect(checked.map((i) => i.getAttribute('value'))).toEqual(['310000020']);
  });

  it('can preselect "self"', () => {
    const m = renderOrgPickerPage(base({ preselected: ['self'] }));
    const checked = orgInputs(parseHtml(m)).filter((i) => i.hasAttribute('checked'));
    expect(checked.map((i) => i.getAttribute('value'))).toEqual(['self']);
  });

  it('uses checkboxes and checks every preselected organisation when allowMultiple', () => {
    const pre = ['310000000', '810000001', '310002990'];
    const m = renderOrgPickerPage(base({ allowMultiple: true, preselected: pre }));
    const doc = checkPage(m, { flow: FLOW, nonce: NONCE });
    const inputs = orgInputs(doc);
    expect(inputs.every((i) => i.getAttribute('type') === 'checkbox')).toBe(true);
    expect(inputs.some((i) => i.getAttribute('value') === 'self')).toBe(false);
    expect(inputs.filter((i) => i.hasAttribute('checked')).map((i) => i.getAttribute('value'))).toEqual(pre);
    expect(orgForm(doc).querySelector('fieldset legend')?.textContent).toBe(t('nb', 'org.legendMultiple'));
    // "Myself" is a separate form with a submit button orgno=self.
    const selfButton = doc.querySelector('button[name="orgno"][value="self"]')!;
    expect(selfButton.getAttribute('type')).toBe('submit');
    let form: Element | null = selfButton.parent;
    while (form && form.tag !== 'form') form = form.parent;
    expect(form?.getAttribute('action')).toBe('/login/organizations');
    expect(form?.getAttribute('method')).toBe('post');
    expect(fieldsOf(form!)).toEqual({ flow: FLOW, csrf: CSRF });
  });

  it('hides "myself" when !allowSelf', () => {
    for (const allowMultiple of [false, true]) {
      const m = renderOrgPickerPage(base({ allowSelf: false, allowMultiple, preselected: ['self'] }));
      expect(m).not.toContain('value="self"');
      checkPage(m, { flow: FLOW, nonce: NONCE });
    }
  });

  it('renders a non-selectable main unit as a heading', () => {
    const parties: OrgParty[] = [
      { orgno: '310000019', name: 'Morselskap AS', unit_type: 'AS', deleted: false, selectable: false, subunits: [{ orgno: '810000019', name: 'Filial', unit_type: 'BEDR', deleted: false }] },
    ];
    const doc = checkPage(renderOrgPickerPage(base({ parties, allowSelf: false })), { flow: FLOW, nonce: NONCE });
    expect(orgInputs(doc).map((i) => i.getAttribute('value'))).toEqual(['810000019']);
    expect(doc.querySelector('.org-heading')?.textContent).toContain('Morselskap AS');
  });

  it('has a labelled search box of type=search, a live count region, submit and cancel', () => {
    const doc = parseHtml(renderOrgPickerPage(base()));
    const q = doc.getElementById('org-q')!;
    expect(q.getAttribute('type')).toBe('search');
    expect(q.hasAttribute('name')).toBe(false); // never submitted
    expect(doc.querySelector('label[for="org-q"]')?.textContent).toBe(t('nb', 'org.searchLabel'));
    expect(doc.getElementById('org-count')?.getAttribute('aria-live')).toBe('polite');
    expect(orgForm(doc).querySelector('button[type="submit"]')?.textContent).toBe(t('nb', 'common.continue'));
    const cancel = doc.querySelectorAll('form').at(-1)!;
    expect(cancel.getAttribute('action')).toBe('/login/cancel');
    expect(fieldsOf(cancel)).toEqual({ flow: FLOW, csrf: CSRF });
  });

  it('shows an error with role=alert', () => {
    const doc = checkPage(renderOrgPickerPage(base({ error: t('nb', 'org.errorNoneSelected') })), { flow: FLOW, nonce: NONCE });
    expect(doc.querySelector('[role="alert"]')?.textContent).toContain(t('nb', 'org.errorNoneSelected'));
  });

  it('stays reasonably small for 300 parties', () => {
    expect(renderOrgPickerPage(base()).length).toBeLessThan(400_000);
  });

  it('escapes hostile input in every field', () => {
    const hostileUnit = { orgno: HOSTILE, name: HOSTILE, unit_type: HOSTILE, deleted: true };
    const m = renderOrgPickerPage(
      base({
        flow: HOSTILE,
        csrf: HOSTILE,
        clientName: HOSTILE,
        personName: HOSTILE,
        nonce: HOSTILE,
        error: HOSTILE,
        preselected: [HOSTILE],
        parties: [{ ...hostileUnit, subunits: [hostileUnit] }],
      }),
    );
    expectNoRawHostile(m);
    const doc = checkPage(m, { flow: HOSTILE, nonce: HOSTILE });
    expect(allText(doc)).toContain(HOSTILE);
    expect(orgInputs(doc).filter((i) => i.getAttribute('value') === HOSTILE)).toHaveLength(2);
  });
});

describe('organisation picker: search script', () => {
  function setup(over: Partial<OrgPickerPageProps> = {}) {
    const doc = parseHtml(renderOrgPickerPage(base(over)));
    const scripts = scriptsOf(doc);
    expect(scripts).toHaveLength(1);
    const env = runScript(doc, scripts[0]!.code);
    const q = doc.getElementById('org-q')!;
    const type = (value: string) => {
      q.value = value;
      q.fire(makeEvent('input', q));
    };
    const visibleValues = () =>
      orgInputs(doc)
        .filter((i) => !i.isHiddenDeep())
        .map((i) => i.getAttribute('value'));
    return { doc, env, q, type, visibleValues, count: () => doc.getElementById('org-count')!.textContent };
  }

  it('reveals the search box and announces the total', () => {
    const { doc, count } = setup();
    expect(doc.getElementById('org-search')?.hidden).toBe(false);
    expect(count()).toBe('Viser 500 av 500 virksomheter');
  });

  it('filters by name, keeps the main unit of a matching sub-unit, and updates the live count after a pause', () => {
    const { type, visibleValues, count, env } = setup();
    type('avdeling sør 12');
    // "Avdeling Sør 12" (i=12) and "Avdeling Sør 120…129" don't exist except multiples of 3: 12, 120, 123, 126, 129.
    const expected = [12, 120, 123, 126, 129].flatMap((i) => [String(310000000 + i * 10), String(810000000 + i * 10 + 1)]);
    expect(visibleValues()).toEqual(['self', ...expected]);
    expect(count()).toBe('Viser 500 av 500 virksomheter'); // not yet announced
    env.timers.advance(500);
    expect(count()).toBe('Viser 5 av 500 virksomheter');
  });

  it('matches organisation numbers typed with spaces', () => {
    const { type, visibleValues, env, count } = setup();
    type('310 000 05');
    expect(visibleValues()).toEqual(['self', '310000050']);
    env.timers.advance(1000);
    expect(count()).toBe('Viser 1 av 500 virksomheter');
  });

  it('hides non-matching sub-units of a matching main unit', () => {
    const { type, visibleValues } = setup();
    type('fiktiv bedrift 3 as');
    expect(visibleValues()).toEqual(['self', '310000030']);
  });

  it('keeps checked rows visible, shows an empty message, and restores everything when cleared', () => {
    const { doc, type, visibleValues } = setup({ allowMultiple: true, preselected: ['310000070'] });
    type('no such organisation');
    expect(visibleValues()).toEqual(['310000070']);
    type('zzzz');
    const box = orgInputs(doc).find((i) => i.getAttribute('value') === '310000070')!;
    box.checked = false;
    type('zzzzz');
    expect(visibleValues()).toEqual([]);
    expect(doc.getElementById('org-empty')?.hidden).toBe(false);
    type('');
    expect(visibleValues()).toHaveLength(500);
    expect(doc.getElementById('org-empty')?.hidden).toBe(true);
  });

  it('prevents Enter in the search box from submitting the form', () => {
    const { q } = setup();
    const ev = makeEvent('keydown', q, { key: 'Enter' });
    q.fire(ev);
    expect(ev.defaultPrevented).toBe(true);
  });

  it('shows all sub-units of a matching non-selectable main unit, and counts only choosable rows', () => {
    const parties: OrgParty[] = [
      {
        orgno: '310000019', name: 'Morselskap AS', unit_type: 'AS', deleted: false, selectable: false,
        subunits: [
          { orgno: '810000019', name: 'Filial Nord', unit_type: 'BEDR', deleted: false },
          { orgno: '810000027', name: 'Filial Sør', unit_type: 'BEDR', deleted: false },
        ],
      },
      { orgno: '310000027', name: 'Annet AS', unit_type: 'AS', deleted: false, subunits: [] },
    ];
    const { type, visibleValues, count, env } = setup({ parties, allowSelf: false });
    expect(count()).toBe('Viser 3 av 3 virksomheter');
    type('morselskap');
    expect(visibleValues()).toEqual(['810000019', '810000027']);
    type('nord');
    expect(visibleValues()).toEqual(['810000019']);
    env.timers.advance(500);
    expect(count()).toBe('Viser 1 av 3 virksomheter');
  });

  it('uses the page language for the count', () => {
    const { count } = setup({ locale: 'en' });
    expect(count()).toBe('Showing 500 of 500 organisations');
  });
});
