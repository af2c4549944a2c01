import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const graph = importGraph(SRC);

/** Protocol code holds no HTTP types: the folders that decide must not know the web framework. */
const PROTOCOL_FOLDERS = ['interaction/', 'oauth/', 'session/', 'representation/', 'eid/'];

describe('the import graph of src/', () => {
  it('is read (a parser that finds nothing would make the checks below pass vacuously)', () => {
    expect(graph.some((e) => e.from === 'app.ts' && e.to === 'fastify')).toBe(true);
    expect(graph.some((e) => e.from.startsWith('interaction/') && e.to.startsWith('interaction/'))).toBe(true);
    expect(graph.filter((e) => e.typeOnly).length).toBeGreaterThan(20);
  });

  it('no file under the protocol folders imports fastify', () => {
    const offenders = graph.filter((e) => PROTOCOL_FOLDERS.some((f) => e.from.startsWith(f)) && (e.to === 'fastify' || e.to.startsWith('fastify/') || e.to.startsWith('@fastify/')));
    expect(offenders).toEqual([]);
  });

  it('has no cycle, counting type-only imports too', () => {
    expect(cycles(graph.filter((e) => !e.to.startsWith('node:') && e.to.endsWith('.ts')))).toEqual([]);
  });

  it('the cycle finder finds a cycle when there is one', () => {
    expect(cycles([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }])).toEqual([['a', 'b', 'c']]);
    expect(cycles([{ from: 'a', to: 'a' }])).toEqual([['a']]);
    expect(cycles([{ from: 'a', to: 'b' }])).toEqual([]);
  });
});

describe('the README map of src/', () => {
  it('describes every top-level folder of src/ in its Architecture section', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const architecture = readme.slice(readme.indexOf('## Architecture'));
    const folders = readdirSync(SRC).filter((n) => statSync(`${SRC}/${n}`).isDirectory());
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !architecture.includes(`\n  ${f}/`))).toEqual([]);
  });
});
