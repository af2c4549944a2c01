/**
 * /metrics protection through HTTP (METRICS_TOKEN, METRICS_PORT) and the request id of log lines
 * (X-Request-Id kept only when it is a short plain token).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { freePort, startServer, type TestServer } from './harness.js';

const TOKEN = 'Zx8-Qw3_Er5.Ty7~Ui9Op2As4Df6Gh1Jk0';

describe('METRICS_TOKEN: /metrics needs the Bearer token', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer({ env: { METRICS_TOKEN: TOKEN } }); });
  afterAll(async () => server?.close());

  it('without it, with another scheme, a wrong or longer token, or in the query: 401 and no metrics', async () => {
    for (const [label, headers, query] of [
      ['none', {}, ''],
      ['basic', { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, ''],
      ['wrong', { authorization: `Bearer ${TOKEN.slice(0, -1)}X` }, ''],
      ['longer', { authorization: `Bearer ${TOKEN}0` }, ''],
      ['prefix', { authorization: `Bearer ${TOKEN.slice(0, 10)}` }, ''],
      ['query', {}, `?access_token=${TOKEN}`],
    ] as const) {
      const res = await fetch(`${server.issuer}/metrics${query}`, { headers });
      expect(res.status, label).toBe(401);
      expect(res.headers.get('www-authenticate'), label).toMatch(/^Bearer/);
      expect(await res.text(), label).not.toContain('ansattporten_');
    }
  });

  it('with it: the metrics', async () => {
    const res = await fetch(`${server.issuer}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ansattporten_http_request_duration_seconds');
  });
});

describe('METRICS_PORT: /metrics on its own port only', () => {
  let built: App;
  let dir: string;
  let main: string;
  let metricsOrigin: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-metrics-'));
    const [port, mport] = [await freePort(), await freePort()];
    const config = loadConfig({ PORT: String(port), DATA_DIR: dir, METRICS_PORT: String(mport), METRICS_TOKEN: TOKEN });
    built = await buildApp(config);
    await built.app.listen({ port, host: '127.0.0.1' });
    expect(built.metricsApp).toBeDefined();
    await built.metricsApp!.listen({ port: mport, host: '127.0.0.1' });
    main = `http://127.0.0.1:${port}`;
    metricsOrigin = `http://127.0.0.1:${mport}`;
  });
  afterAll(async () => {
    await built?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the main port does not serve /metrics, even with the token', async () => {
    const res = await fetch(`${main}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('ansattporten_');
  });

  it('the metrics port serves it (with the token) and nothing else', async () => {
    expect((await fetch(`${metricsOrigin}/metrics`)).status).toBe(401);
    const res = await fetch(`${metricsOrigin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ansattporten_');
    expect((await fetch(`${metricsOrigin}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${metricsOrigin}/health/live`)).status).toBe(404);
  });

  it('closing the app closes the metrics listener', async () => {
    await built.app.close();
    await expect(fetch(`${metricsOrigin}/metrics`)).rejects.toThrow();
  });
});

describe('X-Request-Id in the log lines', () => {
  let built: App;
  let dir: string;
  let origin: string;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-reqid-'));
    const port = await freePort();
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    built = await buildApp(loadConfig({ PORT: String(port), DATA_DIR: dir }), { logger: { level: 'info', stream } });
    await built.app.listen({ port, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await built?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const idsFor = async (value: string): Promise<unknown[]> => {
    const path = `/health/live?n=${Math.random()}`;
    expect((await fetch(`${origin}${path}`, { headers: { 'x-request-id': value } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    return lines.filter((l) => l.msg === 'request' && l.path === '/health/live').map((l) => l.reqId);
  };

  it('a short plain id from the proxy is kept', async () => {
    expect(await idsFor('edge-7f3a.b_9')).toContain('edge-7f3a.b_9');
    expect(await idsFor('x'.repeat(64))).toContain('x'.repeat(64));
  });

  it('a long or odd value is replaced by a fresh id (never copied into the logs)', async () => {
    for (const bad of ['y'.repeat(65), '{"level":60,"msg":"forged"}', 'a b c', 'id;drop']) {
      const ids = await idsFor(bad);
      expect(ids, bad).not.toContain(bad);
      expect(JSON.stringify(lines), bad).not.toContain(JSON.stringify(bad).slice(1, -1));
    }
  });
});
