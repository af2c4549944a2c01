import { renderEidSelectPage, renderTestIdPage } from '../src/ui/index.ts';
const persons = Array.from({ length: 30 }, (_, i) => ({ pid: String(15895010046 + i), given_name: 'Kari' + i, family_name: 'Nordmann' }));
const N = 20000;
function t(name: string, f: () => string) { for (let i = 0; i < 2000; i++) f(); const c0 = process.cpuUsage(); for (let i = 0; i < N; i++) f(); const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) / N).toFixed(1), 'µs'); }
t('selector', () => renderEidSelectPage({ locale: 'nb', flow: 'v7Fz_oqgjNb1E52XYCGN_gBF', csrf: 'abcdefghijklmnopqrstuv', clientName: 'Bench', eids: [{ id: 'testid', name: 'TestID', page: '/login/testid' }], cancelUrl: 'http://localhost/login/cancel' }));
t('testid', () => renderTestIdPage({ locale: 'nb', flow: 'v7Fz_oqgjNb1E52XYCGN_gBF', csrf: 'abcdefghijklmnopqrstuv', clientName: 'Bench', persons, acrOptions: ['substantial', 'high'], selectedAcr: 'substantial', cancelUrl: 'http://localhost/login/cancel', nonce: 'ICqjz87ICzYeDSnpvv7Vyw', generalManager: { ...persons[0]!, organization_name: 'Org AS' } }));
t('json key', () => JSON.stringify({ locale: 'nb', clientName: 'Bench', eids: [{ id: 'testid', name: 'TestID', page: '/login/testid' }], cancelUrl: 'http://localhost/login/cancel' }));
