import { describe, expect, it } from 'vitest';
import { renderFormPostPage, renderFrontChannelLogoutPage, renderTestIdPage } from '../../src/ui/index.js';
import { makeEvent, parseHtml, runScript, scriptsOf } from './mini-dom.js';

const NONCE = 'bm9uY2U';

describe('form_post auto-submit script', () => {
  it('submits the form via the prototype (robust against a field named "submit")', () => {
    const doc = parseHtml(renderFormPostPage({ action: 'https://rp.example/cb', fields: { code: 'c', submit: 'x' }, nonce: NONCE }));
    const [script] = scriptsOf(doc);
    const env = runScript(doc, script!.code);
    expect(env.submitted).toEqual([doc.getElementById('form-post')]);
  });
});

describe('front-channel logout script', () => {
  const frames = ['https://rp1.example/fcl', 'https://rp2.example/fcl', 'https://rp3.example/fcl'];
  function setup(continueUrl?: string, list = frames) {
    const doc = parseHtml(renderFrontChannelLogoutPage({ locale: 'en', frames: list, continueUrl, nonce: NONCE, waitMs: 5000 }));
    const [script] = scriptsOf(doc);
    const env = runScript(doc, script!.code);
    const iframes = doc.querySelectorAll('iframe[data-fcl]');
    const load = (i: number) => env.document.fire(makeEvent('load', iframes[i]));
    return { doc, env, iframes, load };
  }

  it('continues once every frame has loaded (duplicates ignored)', () => {
    const { env, load } = setup('https://rp1.example/bye?state=a&b=<x>');
    load(0);
    load(0);
    load(1);
    expect(env.window.location.replaced).toEqual([]);
    load(2);
    expect(env.window.location.replaced).toEqual(['https://rp1.example/bye?state=a&b=<x>']);
    load(2);
    env.timers.advance(10_000);
    expect(env.window.location.replaced).toHaveLength(1);
  });

  it('ignores load events of other elements', () => {
    const { env, doc } = setup('https://rp1.example/bye');
    for (let i = 0; i < 3; i++) env.document.fire(makeEvent('load', doc.querySelector('link')));
    expect(env.window.location.replaced).toEqual([]);
  });

  it('continues after waitMs when a frame never loads', () => {
    const { env, load } = setup('https://rp1.example/bye');
    load(0);
    env.timers.advance(4999);
    expect(env.window.location.replaced).toEqual([]);
    env.timers.advance(1);
    expect(env.window.location.replaced).toEqual(['https://rp1.example/bye']);
  });

  it('continues on window load', () => {
    const { env } = setup('https://rp1.example/bye');
    env.window.fire(makeEvent('load', null));
    expect(env.window.location.replaced).toEqual(['https://rp1.example/bye']);
  });

  it('without continueUrl it only updates the status text', () => {
    const { env, load, doc } = setup(undefined);
    for (let i = 0; i < 3; i++) load(i);
    expect(env.window.location.replaced).toEqual([]);
    expect(doc.getElementById('fcl-status')?.textContent).toBe('Logout is complete.');
  });

  it('with no frames it continues on DOMContentLoaded', () => {
    const { env } = setup('https://rp1.example/bye', []);
    env.document.fire(makeEvent('DOMContentLoaded', null));
    expect(env.window.location.replaced).toEqual(['https://rp1.example/bye']);
  });
});

describe('TestID level sync script', () => {
  it('updates hidden acr fields of the person forms when the level changes', () => {
    const doc = parseHtml(
      renderTestIdPage({
        locale: 'nb',
        flow: 'f',
        csrf: 'c',
        clientName: 'Demo',
        persons: [
          { pid: '15895010046', given_name: 'A', family_name: 'B' },
          { pid: '01848299877', given_name: 'C', family_name: 'D' },
        ],
        acrOptions: ['substantial', 'high'],
        selectedAcr: 'substantial',
        cancelUrl: '/login/cancel',
        nonce: NONCE,
      }),
    );
    const [script] = scriptsOf(doc);
    expect(script?.nonce).toBe(NONCE);
    runScript(doc, script!.code);
    const high = doc.getElementById('acr-high')!;
    high.checked = true;
    high.fire(makeEvent('change', high));
    expect(doc.querySelectorAll('input[data-acr-sync]').map((i) => i.value)).toEqual(['high', 'high']);
    expect(doc.getElementById('testid-person-acr')?.textContent).toBe('Høyt');
  });
});
