/**
 * The request id of a log line: a proxy's X-Request-Id when it is a plain token (at most 64
 * characters of A-Z a-z 0-9 . _ -), otherwise a fresh random id. A longer or odd value (line
 * breaks, JSON, a secret pasted by mistake) would otherwise be copied into every log line.
 */
import type { IncomingMessage } from 'node:http';
import { randomId } from '../core/random.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdOf(req: Pick<IncomingMessage, 'headers'>): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && SAFE_REQUEST_ID.test(h) ? h : randomId(12);
}
