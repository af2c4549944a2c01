import { describe, expect, it } from 'vitest';
import {
  attrIf,
  escapeHtml,
  formatOrgno,
  hiddenInputs,
  html,
  jsonForScript,
  raw,
  safeUrl,
  scriptTag,
  withData,
} from '../../src/ui/index.js';

describe('html helper', () => {
  it('escapes every interpolated value', () => {
    const v = `<script>alert('x')</script> & "q"`;
    expect(html`<p title="${v}">${v}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>',
    );
  });

  it('escapes already-escaped text again (no double-decoding shortcuts)', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('does not escape raw() or nested html fragments', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${raw('<br>')}</p>`.value).toBe('<p><b>&lt;i&gt;</b><br></p>');
  });

  it('renders arrays, numbers and skips null/undefined/false', () => {
    expect(html`${[1, '<', html`<x>`]}|${null}|${undefined}|${false}|${0}|${true}`.value).toBe('1&lt;<x>||||0|true');
  });

  it('attrIf', () => {
    expect(html`<input${attrIf('checked', true)}${attrIf('required', false)}>`.value).toBe('<input checked>');
  });

  it('hiddenInputs escapes names and values and skips undefined', () => {
    expect(hiddenInputs({ 'a"b': '<x>', skip: undefined }).value).toBe('<input type="hidden" name="a&quot;b" value="&lt;x&gt;">');
  });

  it('safeUrl blocks script-capable schemes', () => {
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:x', 'data:text/html,x', 'vbscript:x']) {
      expect(safeUrl(bad)).toBe('about:blank');
    }
    for (const ok of ['https://rp.example/cb?x=1', 'http://localhost:3000/cb', '/login/cancel', '?lang=en', '#x', 'cb']) {
      expect(safeUrl(ok)).toBe(ok);
    }
  });

  it('jsonForScript cannot break out of a script element', () => {
    const s = jsonForScript({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028&' });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028&' });
  });

  it('withData does not interpret $ patterns', () => {
    expect(withData('var d = __DATA__;', { v: "$` $' $1 $$" })).toBe('var d = {"v":"$` $\' $1 $$"};');
  });

  it('scriptTag escapes the nonce and closing tags in code', () => {
    const s = scriptTag('n"o', 'var s = "</script>";').value;
    expect(s).toBe('<script nonce="n&quot;o">var s = "<\\/script>";</script>');
  });

  it('formatOrgno', () => {
    expect(formatOrgno('310000019')).toBe('310 000 019');
    expect(formatOrgno('31000001')).toBe('31000001');
  });
});
