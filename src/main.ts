import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { FixturesError } from './fixtures/load-fixtures.js';
import { ClientsFileError } from './clients/load-clients-file.js';
import { bufferedStdout } from './observability/log-destination.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`ansattporten: configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  let built;
  const logs = bufferedStdout();
  try {
    built = await buildApp(config, { logger: { level: config.logging.level, stream: logs } });
  } catch (e) {
    if (e instanceof FixturesError || e instanceof ClientsFileError || e instanceof ConfigError) {
      console.error(`ansattporten: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const { app } = built;
  const host = config.host ?? '0.0.0.0';
  await app.listen({ port: config.port, host });
  if (built.metricsApp) await built.metricsApp.listen({ port: config.metrics.port!, host });
  const lines = [
    `Ansattporten (independent implementation) is running${config.production ? ' in production mode' : ''}`,
    `  issuer:    ${config.issuer}`,
    `  discovery: ${config.issuer}/.well-known/openid-configuration`,
  ];
  if (config.demoEnabled) lines.push(`  demo:      ${config.issuer}/demo`);
  lines.push(`  data:      ${config.dataDir}`);
  if (built.metricsApp) lines.push(`  metrics:   port ${config.metrics.port} (/metrics)`);
  console.log(lines.join('\n'));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`ansattporten: ${signal} received, finishing requests in flight`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.close();
    try {
      logs.flushSync();
    } catch {
      // a write in progress: pino's exit handler writes the rest synchronously
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
