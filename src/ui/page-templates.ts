import { randomBytes } from 'node:crypto';

/**
 * The login's hot pages (the eID selector, TestID) rendered once per distinct content and reused:
 * only the login flow's id, its CSRF token and the script nonce differ from one login to the next,
 * so a page is rendered with placeholders for those three, cut at the placeholders, and later
 * joined with the request's values. Joining costs a few microseconds; rendering the TestID page
 * with its test persons costs about 0.1 ms.
 *
 * The key is everything else on the page: the props as JSON, except large lists that are shared
 * objects (the test world's persons), which count by identity, so a new test world is a new key.
 * Placeholders are random per process and alphanumeric, so HTML escaping and URL encoding leave
 * them as they are and no client name or person can spell one. Values that are not plain
 * base64url (never the case for ids this provider makes) are rendered afresh.
 */

export interface TemplateSlots {
  flow: string;
  csrf: string;
  nonce: string;
}

type Slot = keyof TemplateSlots;

interface Template {
  parts: string[];
  slots: Slot[];
  /** Its size, for the cache's bound. */
  chars: number;
}

const SAFE = /^[A-Za-z0-9_-]*$/;

export class PageTemplates {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly templates = new Map<string, Template>();
  private readonly placeholders: Record<Slot, string>;
  private readonly cut: RegExp;
  private readonly slotOf: Map<string, Slot>;

  private chars = 0;

  /** At most `maxTemplates` templates of at most `maxChars` characters in all; the least recently used go first. */
  constructor(private readonly maxTemplates = 256, private readonly maxChars = 8_000_000) {
    const mark = () => `Z${randomBytes(12).toString('hex')}Z`;
    this.placeholders = { flow: mark(), csrf: mark(), nonce: mark() };
    this.slotOf = new Map(Object.entries(this.placeholders).map(([slot, p]) => [p, slot as Slot]));
    this.cut = new RegExp(Object.values(this.placeholders).join('|'), 'g');
  }

  /**
   * The page `render` makes for `props` with these slot values. `shared` names the props that are
   * shared objects (counted by identity in the key).
   */
  render<P extends object>(page: string, props: P, values: TemplateSlots, render: (props: P, slots: TemplateSlots) => string, shared: readonly (keyof P)[] = []): string {
    if (!SAFE.test(values.flow) || !SAFE.test(values.csrf) || !SAFE.test(values.nonce)) return render(props, values);
    const key = this.keyOf(page, props, shared);
    let template = this.templates.get(key);
    if (template) {
      // Most recently used last: a Map keeps insertion order.
      this.templates.delete(key);
      this.templates.set(key, template);
    } else {
      template = this.compile(render(props, this.placeholders));
      this.templates.set(key, template);
      this.chars += template.chars;
      for (const [oldest, t] of this.templates) {
        if (this.templates.size <= this.maxTemplates && this.chars <= this.maxChars) break;
        if (oldest === key) break; // the one just made stays, however large
        this.templates.delete(oldest);
        this.chars -= t.chars;
      }
    }
    let out = template.parts[0]!;
    for (let i = 0; i < template.slots.length; i++) out += values[template.slots[i]!] + template.parts[i + 1]!;
    return out;
  }

  /** How many templates are kept (for tests). */
  get size(): number {
    return this.templates.size;
  }

  /** Their characters in all (for tests). */
  get totalChars(): number {
    return this.chars;
  }

  private keyOf<P extends object>(page: string, props: P, shared: readonly (keyof P)[]): string {
    // The slots' own values are not part of the page's content.
    const keyed: Record<string, unknown> = { ...props, flow: undefined, csrf: undefined, nonce: undefined };
    for (const name of shared) {
      const v = props[name];
      if (v !== null && typeof v === 'object') keyed[name as string] = `#${this.idOf(v)}`;
    }
    return `${page}\n${JSON.stringify(keyed)}`;
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }

  private compile(rendered: string): Template {
    const parts: string[] = [];
    const slots: Slot[] = [];
    let last = 0;
    for (const m of rendered.matchAll(this.cut)) {
      parts.push(rendered.slice(last, m.index));
      slots.push(this.slotOf.get(m[0])!);
      last = m.index + m[0].length;
    }
    parts.push(rendered.slice(last));
    return { parts, slots, chars: rendered.length };
  }
}
