// Drives N logins of the bench flow against PORT (the server is started elsewhere).
import { HttpClient } from '../bench/lib/http-client.ts';
import { oursFlow } from '../bench/lib/flows.ts';
const port = Number(process.env.PORT); const n = Number(process.env.N ?? 500);
const http = new HttpClient('127.0.0.1', port, 4);
let i = 0;
await Promise.all([0, 1, 2, 3].map(async () => { while (i++ < n) { const s = oursFlow.newState(); for (const st of oursFlow.steps) await st.run(http, s); } }));
http.close();
console.log('done', n);
