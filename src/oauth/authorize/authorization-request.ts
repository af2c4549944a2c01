import type { Client } from '../../clients/client-types.js';
import type { Params } from '../../core/params.js';
import type { NormalisedRar } from '../../representation/rar-types.js';

import type { ResponseMode } from '../jarm/authorization-response-jwt.js';

export type { ResponseMode };
export type Acr = 'substantial' | 'high' | 'entraid';

/** A validated authorization request: what the rest of the login works from. */
export interface AuthorizationRequest {
  clientId: string;
  /** The client's display name, for the login pages. */
  clientName?: string;
  redirectUri: string;
  responseMode: ResponseMode;
  scope: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  /** Requested acr values, normalised to the short form, in request order. */
  acrValues: Acr[];
  prompt: { none: boolean; login: boolean };
  maxAge?: number;
  uiLocales: string[];
  resource?: string;
  authorizationDetails?: NormalisedRar;
}

export interface PipelineDeps {
  getClient(clientId: string): Promise<Client | undefined>;
  requireStateAndNonce: boolean;
  /** The acr values an available eID can satisfy. */
  supportedAcr: ReadonlySet<Acr>;
}

/** What the checks read and fill in, in order. */
export interface PipelineContext {
  params: Params;
  deps: PipelineDeps;
  /** 'authorize': errors after the redirect URI is known go back to the client; 'par': all errors are JSON. */
  mode: 'authorize' | 'par';
  client?: Client;
  redirectUri?: string;
  state?: string;
  responseMode: ResponseMode;
  req: Partial<AuthorizationRequest>;
}

export type Check = (ctx: PipelineContext) => void | Promise<void>;

/** Largest single parameter value accepted (authorization_details has its own limit). */
export const MAX_PARAM_LENGTH = 4096;
