/**
 * A deliberately small HTML parser and DOM stand-in for testing the server-rendered pages and
 * their inline scripts without a browser. It is strict: mis-nested or unclosed tags are reported
 * as errors, which doubles as a well-formedness check of the generated markup.
 */

export const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (_m, e: string) => {
    const l = e.toLowerCase();
    if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
    if (l.startsWith('#')) return String.fromCodePoint(parseInt(l.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[l] ?? _m;
  });
}

type Listener = { fn: (ev: FakeEvent) => void; capture: boolean };

export interface FakeEvent {
  type: string;
  target: unknown;
  key?: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function makeEvent(type: string, target: unknown, extra: Partial<FakeEvent> = {}): FakeEvent {
  const ev: FakeEvent = {
    type,
    target,
    defaultPrevented: false,
    preventDefault() {
      ev.defaultPrevented = true;
    },
    ...extra,
  };
  return ev;
}

export class TextNode {
  parent: Element | null = null;
  constructor(public text: string) {}
}

export class Element {
  children: (Element | TextNode)[] = [];
  parent: Element | null = null;
  listeners = new Map<string, Listener[]>();
  private _value: string | undefined;
  private _checked: boolean | undefined;

  constructor(
    public tag: string,
    public attrs: Map<string, string>,
  ) {}

  get tagName(): string {
    return this.tag.toUpperCase();
  }
  getAttribute(n: string): string | null {
    return this.attrs.has(n) ? (this.attrs.get(n) as string) : null;
  }
  hasAttribute(n: string): boolean {
    return this.attrs.has(n);
  }
  setAttribute(n: string, v: string): void {
    this.attrs.set(n, v);
  }
  removeAttribute(n: string): void {
    this.attrs.delete(n);
  }
  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  get hidden(): boolean {
    return this.hasAttribute('hidden');
  }
  set hidden(v: boolean) {
    if (v) this.setAttribute('hidden', '');
    else this.removeAttribute('hidden');
  }
  get value(): string {
    if (this._value !== undefined) return this._value;
    if (this.tag === 'textarea') return this.textContent;
    return this.getAttribute('value') ?? '';
  }
  set value(v: string) {
    this._value = v;
  }
  get checked(): boolean {
    return this._checked ?? this.hasAttribute('checked');
  }
  set checked(v: boolean) {
    this._checked = v;
  }
  get textContent(): string {
    return this.children.map((c) => (c instanceof TextNode ? c.text : c.textContent)).join('');
  }
  set textContent(v: string) {
    const node = new TextNode(v);
    node.parent = this;
    this.children = [node];
  }
  get elements(): Element[] {
    return this.children.filter((c): c is Element => c instanceof Element);
  }
  /** Hidden itself or through an ancestor. */
  isHiddenDeep(): boolean {
    for (let e: Element | null = this; e; e = e.parent) if (e.hidden) return true;
    return false;
  }
  descendants(): Element[] {
    const out: Element[] = [];
    const walk = (e: Element) => {
      for (const c of e.elements) {
        out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  querySelectorAll(sel: string): Element[] {
    const m = compileSelector(sel);
    return this.descendants().filter(m);
  }
  querySelector(sel: string): Element | null {
    return this.querySelectorAll(sel)[0] ?? null;
  }
  addEventListener(type: string, fn: (ev: FakeEvent) => void, capture?: boolean | { capture?: boolean }): void {
    const c = typeof capture === 'object' ? !!capture.capture : !!capture;
    const list = this.listeners.get(type) ?? [];
    list.push({ fn, capture: c });
    this.listeners.set(type, list);
  }
  /** Fire listeners on this element only (enough for the scripts under test). */
  fire(ev: FakeEvent): void {
    for (const l of this.listeners.get(ev.type) ?? []) l.fn(ev);
  }
}

/** Supports tag, #id, .class, [attr], [attr="v"], compounds of these, descendant combinators and comma lists. */
export function compileSelector(sel: string): (e: Element) => boolean {
  const compileCompound = (compound: string): ((e: Element) => boolean) => {
    const parts: ((e: Element) => boolean)[] = [];
    const re = /([a-z][a-z0-9-]*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/y;
    let pos = 0;
    while (pos < compound.length) {
      re.lastIndex = pos;
      const m = re.exec(compound);
      if (!m) throw new Error(`mini-dom: unsupported selector ${sel}`);
      pos = re.lastIndex;
      const [, tag, id, cls, attr, val] = m;
      if (tag) parts.push((e) => e.tag === tag);
      else if (id) parts.push((e) => e.getAttribute('id') === id);
      else if (cls) parts.push((e) => (e.getAttribute('class') ?? '').split(/\s+/).includes(cls));
      else if (attr) parts.push((e) => (val === undefined ? e.hasAttribute(attr) : e.getAttribute(attr) === val));
    }
    return (e: Element) => parts.every((p) => p(e));
  };
  const tests = sel.split(',').map((alt) => {
    // Split on whitespace outside [...] (attribute values here never contain spaces and brackets).
    const chain = (alt.trim().match(/(?:[^\s[]+|\[[^\]]*\])+/g) ?? []).map(compileCompound);
    return (e: Element) => {
      const last = chain[chain.length - 1];
      if (!last?.(e)) return false;
      let k = chain.length - 2;
      for (let a = e.parent; a && k >= 0; a = a.parent) if ((chain[k] as (x: Element) => boolean)(a)) k--;
      return k < 0;
    };
  });
  return (e) => tests.some((t) => t(e));
}

export interface ParsedDocument {
  root: Element;
  doctype: boolean;
  errors: string[];
  getElementById(id: string): Element | null;
  querySelectorAll(sel: string): Element[];
  querySelector(sel: string): Element | null;
}

export function parseHtml(src: string): ParsedDocument {
  const root = new Element('#root', new Map());
  const errors: string[] = [];
  const stack: Element[] = [root];
  let i = 0;
  let doctype = false;
  const top = () => stack[stack.length - 1] as Element;
  const addText = (text: string) => {
    if (!text) return;
    const n = new TextNode(decodeEntities(text));
    n.parent = top();
    top().children.push(n);
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt === -1) {
      addText(src.slice(i));
      break;
    }
    addText(src.slice(i, lt));
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt);
      if (end === -1) {
        errors.push('unterminated comment');
        break;
      }
      i = end + 3;
      continue;
    }
    if (/^<!doctype html>/i.test(src.slice(lt, lt + 15))) {
      doctype = true;
      i = lt + 15;
      continue;
    }
    if (src[lt + 1] === '/') {
      const m = /^<\/([a-z][a-z0-9]*)\s*>/i.exec(src.slice(lt));
      if (!m) {
        errors.push(`bad end tag at ${lt}`);
        i = lt + 2;
        continue;
      }
      const name = (m[1] as string).toLowerCase();
      if (top().tag !== name) errors.push(`mismatched </${name}>, open is <${top().tag}> at ${lt}`);
      else stack.pop();
      i = lt + m[0].length;
      continue;
    }
    const tm = /^<([a-z][a-z0-9]*)/i.exec(src.slice(lt));
    if (!tm) {
      errors.push(`stray < at ${lt}`);
      addText('<');
      i = lt + 1;
      continue;
    }
    const name = (tm[1] as string).toLowerCase();
    let j = lt + tm[0].length;
    const attrs = new Map<string, string>();
    const attrRe = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = j;
      ws.exec(src);
      j = ws.lastIndex;
      if (src[j] === '>') {
        j++;
        break;
      }
      if (src.startsWith('/>', j)) {
        j += 2;
        break;
      }
      attrRe.lastIndex = j;
      const am = attrRe.exec(src);
      if (!am || am[0].length === 0) {
        errors.push(`bad attribute in <${name}> at ${j}`);
        j = src.indexOf('>', j) + 1;
        break;
      }
      const an = (am[1] as string).toLowerCase();
      if (attrs.has(an)) errors.push(`duplicate attribute ${an} on <${name}>`);
      if (am[4] !== undefined) errors.push(`unquoted attribute ${an} on <${name}>`);
      attrs.set(an, decodeEntities(am[2] ?? am[3] ?? am[4] ?? ''));
      j = attrRe.lastIndex;
    }
    const el = new Element(name, attrs);
    el.parent = top();
    top().children.push(el);
    i = j;
    if (VOID.has(name)) continue;
    if (RAW_TEXT.has(name)) {
      const close = src.toLowerCase().indexOf(`</${name}`, i);
      if (close === -1) {
        errors.push(`unterminated <${name}>`);
        break;
      }
      const text = src.slice(i, close);
      const tn = new TextNode(name === 'script' || name === 'style' ? text : decodeEntities(text));
      tn.parent = el;
      el.children.push(tn);
      const endM = /^<\/[a-z]+\s*>/i.exec(src.slice(close));
      i = close + (endM ? endM[0].length : 0);
      continue;
    }
    stack.push(el);
  }
  if (stack.length > 1) errors.push(`unclosed: ${stack.slice(1).map((e) => e.tag).join(', ')}`);
  return {
    root,
    doctype,
    errors,
    getElementById: (id) => root.descendants().find((e) => e.getAttribute('id') === id) ?? null,
    querySelectorAll: (sel) => root.querySelectorAll(sel),
    querySelector: (sel) => root.querySelector(sel),
  };
}

/** Fake timers for running page scripts. */
export class FakeTimers {
  private seq = 0;
  now = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout = (fn: () => void, ms?: number): number => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + (ms ?? 0), fn });
    return id;
  };
  clearTimeout = (id: number | null | undefined): void => {
    if (id != null) this.timers.delete(id);
  };
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = target;
  }
}

/** Extract the inline scripts of a page. */
export function scriptsOf(doc: ParsedDocument): { nonce: string | null; code: string; attrs: Map<string, string> }[] {
  return doc.querySelectorAll('script').map((s) => ({ nonce: s.getAttribute('nonce'), code: s.textContent, attrs: s.attrs }));
}

export interface ScriptEnv {
  document: {
    getElementById(id: string): Element | null;
    querySelectorAll(sel: string): Element[];
    addEventListener: Element['addEventListener'];
    fire(ev: FakeEvent): void;
  };
  window: { location: { replace(url: string): void; replaced: string[] }; addEventListener: Element['addEventListener']; fire(ev: FakeEvent): void };
  timers: FakeTimers;
  submitted: unknown[];
}

/** Run `code` against the parsed document with fake globals. */
export function runScript(doc: ParsedDocument, code: string): ScriptEnv {
  const timers = new FakeTimers();
  const docTarget = new Element('#document', new Map());
  const winTarget = new Element('#window', new Map());
  const replaced: string[] = [];
  const submitted: unknown[] = [];
  const env: ScriptEnv = {
    document: {
      getElementById: (id) => doc.getElementById(id),
      querySelectorAll: (sel) => doc.querySelectorAll(sel),
      addEventListener: docTarget.addEventListener.bind(docTarget),
      fire: (ev) => docTarget.fire(ev),
    },
    window: {
      location: { replace: (u: string) => void replaced.push(u), replaced },
      addEventListener: winTarget.addEventListener.bind(winTarget),
      fire: (ev) => winTarget.fire(ev),
    },
    timers,
    submitted,
  };
  // biome-ignore lint/complexity/useArrowFunction: a constructor with a prototype, as HTMLFormElement has
  const FakeForm = function () {} as unknown as { prototype: { submit(this: unknown): void } };
  FakeForm.prototype.submit = function (this: unknown) {
    submitted.push(this);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function('document', 'window', 'setTimeout', 'clearTimeout', 'HTMLFormElement', code);
  fn(env.document, env.window, timers.setTimeout, timers.clearTimeout, FakeForm);
  return env;
}
