import type { FastifyRequest } from 'fastify';
import { Params } from '../core/params.js';

/** The query string of a request. */
export function queryOf(req: FastifyRequest): URLSearchParams {
  return new URL(req.url, 'http://x').searchParams;
}

/** The urlencoded form body (src/app.ts parses it into Params, keeping repeats); anything else is an empty form. */
export function formBody(req: FastifyRequest): Params {
  return req.body instanceof Params ? req.body : Params.empty();
}

/** The urlencoded form body, or undefined when the request had none (endpoints that must answer invalid_request). */
export function formBodyOrUndefined(req: FastifyRequest): Params | undefined {
  return req.body instanceof Params ? req.body : undefined;
}
