import { expect } from 'vitest';
import { parseHtml, scriptsOf, type Element, type ParsedDocument } from './mini-dom.js';

export const HOSTILE = `<script>alert("x")</script>'"&amp;<img src=x onerror=alert(1)>`;

export interface CommonOptions {
  locale?: string;
  /** Expected nonce of every script; when undefined the page must have no script at all. */
  nonce?: string;
  /** Expect the language switcher (default true). */
  switcher?: boolean;
  /** Flow id the switcher links must carry. */
  flow?: string;
}

/** Structural, accessibility and CSP checks that every page must pass. Returns the parsed page. */
export function checkPage(markup: string, o: CommonOptions = {}): ParsedDocument {
  const doc = parseHtml(markup);
  expect(doc.errors, 'well-formed markup').toEqual([]);
  expect(doc.doctype).toBe(true);
  expect(markup.startsWith('<!DOCTYPE html>')).toBe(true);

  const htmlEl = doc.querySelector('html');
  expect(htmlEl?.getAttribute('lang')).toBe(o.locale ?? 'nb');
  expect(doc.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
  expect(doc.querySelector('meta[name="viewport"]')).not.toBeNull();
  expect((doc.querySelector('title')?.textContent ?? '').length).toBeGreaterThan(0);
  expect(doc.querySelectorAll('h1')).toHaveLength(1);
  expect(doc.querySelectorAll('main')).toHaveLength(1);

  // Exactly one stylesheet, ours; nothing external.
  const links = doc.querySelectorAll('link');
  expect(links.map((l) => `${l.getAttribute('rel')} ${l.getAttribute('href')}`)).toEqual(['stylesheet /assets/app.css']);
  expect(doc.querySelectorAll('img')).toHaveLength(0);
  expect(doc.querySelectorAll('style')).toHaveLength(0);

  // CSP: no inline styles or handlers; scripts only inline with the nonce.
  for (const el of doc.root.descendants()) {
    for (const name of el.attrs.keys()) {
      expect(name, `<${el.tag}> has ${name}`).not.toBe('style');
      expect(/^on/.test(name), `<${el.tag}> has ${name}`).toBe(false);
    }
    for (const attr of ['href', 'src', 'action']) {
      const v = el.getAttribute(attr);
      if (v !== null) expect(/^\s*(javascript|data|vbscript):/i.test(v), `${attr}=${v}`).toBe(false);
    }
  }
  const scripts = scriptsOf(doc);
  if (o.nonce === undefined) expect(scripts).toHaveLength(0);
  for (const s of scripts) {
    expect(s.nonce).toBe(o.nonce);
    expect(s.attrs.has('src')).toBe(false);
    expect(() => new Function(s.code)).not.toThrow();
  }

  // Unique ids; every label points at an existing control; every visible control is labelled.
  const ids = doc.root.descendants().map((e) => e.getAttribute('id')).filter((v): v is string => v !== null);
  expect(new Set(ids).size, 'unique ids').toBe(ids.length);
  for (const label of doc.querySelectorAll('label')) {
    const target = label.getAttribute('for');
    expect(target, 'label has for').not.toBeNull();
    const el = doc.getElementById(target as string);
    expect(el, `label for=${target}`).not.toBeNull();
    expect(['input', 'select', 'textarea']).toContain(el?.tag);
  }
  for (const control of doc.querySelectorAll('input, select, textarea')) {
    const type = control.getAttribute('type');
    if (type === 'hidden' || type === 'submit') continue;
    const id = control.getAttribute('id');
    const labelled =
      (id !== null && doc.querySelectorAll('label').some((l) => l.getAttribute('for') === id)) ||
      control.hasAttribute('aria-label') ||
      control.hasAttribute('aria-labelledby');
    expect(labelled, `control ${control.getAttribute('name')} is labelled`).toBe(true);
    for (const ref of (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)) {
      expect(doc.getElementById(ref), `aria-describedby ${ref}`).not.toBeNull();
    }
  }
  // Buttons have text.
  for (const b of doc.querySelectorAll('button')) expect(b.textContent.trim().length).toBeGreaterThan(0);
  // Every POST form carries csrf unless it posts to a client (form_post / error return).
  for (const f of doc.querySelectorAll('form')) {
    expect(['get', 'post']).toContain(f.getAttribute('method'));
  }

  // Footer disclaimer.
  const footer = doc.querySelector('footer');
  expect(footer?.textContent ?? '').toMatch(/Digdir/);

  // Language switcher.
  const nav = doc.querySelector('nav.lang-switcher');
  if (o.switcher === false) {
    expect(nav).toBeNull();
  } else {
    expect(nav).not.toBeNull();
    const hrefs = (nav as Element).querySelectorAll('a').map((a) => a.getAttribute('href'));
    expect(hrefs).toHaveLength(4);
    for (const [i, l] of ['nb', 'nn', 'en', 'se'].entries()) {
      const u = new URL(hrefs[i] as string, 'https://op.example/some/path');
      expect(u.searchParams.get('lang')).toBe(l);
      expect(u.searchParams.get('flow')).toBe(o.flow ?? null);
    }
    const current = (nav as Element).querySelectorAll('a[aria-current="true"]');
    expect(current.map((a) => a.getAttribute('lang'))).toEqual([o.locale ?? 'nb']);
  }
  return doc;
}

/** The named form controls of a form as [name, value] pairs (hidden inputs, checked or not). */
export function fieldsOf(form: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of form.querySelectorAll('input[type="hidden"]')) out[i.getAttribute('name') ?? ''] = i.getAttribute('value') ?? '';
  return out;
}

/** Asserts that hostile text never appears unescaped in the markup. */
export function expectNoRawHostile(markup: string): void {
  expect(markup).not.toContain('<script>alert');
  expect(markup).not.toContain('<img');
  expect(markup).not.toContain(`'"&amp;<`);
}

/** Every text node and attribute value of the page, decoded. */
export function allText(doc: ParsedDocument): string {
  const parts: string[] = [doc.root.textContent];
  for (const el of doc.root.descendants()) for (const v of el.attrs.values()) parts.push(v);
  return parts.join('\n');
}
