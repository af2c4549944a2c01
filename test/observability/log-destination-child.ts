// Child process for log-destination.test.ts: logs through the buffered destination, then stays up.
import pino from 'pino';
import { bufferedStdout } from '../../src/observability/log-destination.js';

const dest = bufferedStdout(Number(process.env.FLUSH_MS));
const log = pino({ level: 'info' }, dest);
log.info({ n: 1 }, 'first line');
process.stdout.write(''); // nothing else writes to stdout
if (process.env.MANY) for (let i = 0; i < Number(process.env.MANY); i++) log.info({ i }, 'many');
if (process.env.EXIT_AFTER_MS) setTimeout(() => process.exit(0), Number(process.env.EXIT_AFTER_MS));
else setInterval(() => {}, 1000);
