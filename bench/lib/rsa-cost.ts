/**
 * What one RS256 signature costs on this machine, for reading the ratios: our login signs two,
 * the reference's one, and RSA's cost differs several-fold between machines (OpenSSL's AVX-512
 * IFMA path or not), far more than the rest of a login does.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { percentile } from './stats.js';

/** CPU milliseconds of one synchronous RSA-2048 SHA-256 signature through node:crypto (median of `runs` runs of `per` signatures). */
export function rs256SignMs(runs = 5, per = 200): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = Buffer.alloc(700, 0x61); // about a signing input's size (header.payload)
  for (let i = 0; i < 50; i++) sign('sha256', input, privateKey);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < per; i++) sign('sha256', input, privateKey);
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000 / per);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}
