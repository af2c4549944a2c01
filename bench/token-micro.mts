import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { createServices } from '../src/services.js';
import { tokenEndpoint } from '../src/oauth/token/token-endpoint.js';
import { createCode } from '../src/oauth/authorization-code.js';
import { Params } from '../src/core/params.js';
import { tokenEndpointDeps } from '../src/http/routes/token-routes.js';
import { authenticateClient } from '../src/oauth/client-auth/authenticate-client.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-micro-'));
writeFileSync(join(dir, 'c.json'), JSON.stringify([{ client_id: 'bench', client_name: 'B', client_orgno: '310900001', integration_type: 'ansattporten', redirect_uris: ['https://b.example/cb'], client_secret: 'bench-secret-bench-secret-bench-secret' }]));
const config = loadConfig({ DATA_DIR: dir, CLIENTS_FILE: join(dir, 'c.json'), LOG_LEVEL: 'silent' });
const s = await createServices(config);
const deps = tokenEndpointDeps(s);
const auth = `Basic ${Buffer.from('bench:bench-secret-bench-secret-bench-secret').toString('base64')}`;
const ctx = { authTime: 1, acr: 'substantial' as const, amr: ['TestID'], eid: 'testid', pid: '15895010046', subjectRef: '15895010046', claims: { given_name: 'A', family_name: 'B', name: 'A B' }, locale: 'nb' };
async function one() {
  const verifier = randomBytes(32).toString('base64url');
  const code = await createCode(s.stores.ephemeral, { clientId: 'bench', redirectUri: 'https://b.example/cb', codeChallenge: createHash('sha256').update(verifier).digest('base64url'), nonce: 'n', scope: 'openid profile', sid: 'sid', context: ctx }, 60);
  await tokenEndpoint(deps, auth, Params.fromRecord({ grant_type: 'authorization_code', code, redirect_uri: 'https://b.example/cb', code_verifier: verifier }));
}
const N = 2000;
for (let i = 0; i < 200; i++) await one();
const time = async (name: string, f: () => Promise<unknown>) => {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await f();
  const c = process.cpuUsage(c0);
  console.log(`${name.padEnd(24)} ${((c.user + c.system) / N / 1000).toFixed(3)} ms CPU, ${((performance.now() - t0) / N).toFixed(3)} ms wall`);
};
await time('token endpoint (full)', one);
await time('client auth', () => authenticateClient(deps, auth, Params.fromRecord({ grant_type: 'authorization_code' })));
await time('getActive', () => s.registry.getActive('bench'));
await time('sign one JWT', () => s.keys.sign({ a: 1, b: 'x'.repeat(300) }));
process.exit(0);
