/**
 * Settings production mode (NODE_ENV=production) refuses beyond those checked where they are
 * resolved (issuer, admin credentials): each a message naming the key or variable to fix.
 */
import { weakSecretReason } from '../core/secret-entropy.js';

export interface ProductionCheckInput {
  authorization_source: { type: 'fixtures' } | { type: 'altinn'; base_url: string };
  metrics: { token?: string; port?: number };
}

export function productionProblems(cfg: ProductionCheckInput): string[] {
  const problems: string[] = [];
  const src = cfg.authorization_source;
  if (src.type === 'altinn' && new URL(src.base_url).protocol !== 'https:') {
    problems.push(`production mode refuses an http authorization_source.base_url ("${src.base_url}"): the authorisations and the API key would travel in clear`);
  }
  if (cfg.metrics.token !== undefined) {
    const weak = weakSecretReason(cfg.metrics.token);
    if (weak !== undefined) problems.push(`production mode refuses this METRICS_TOKEN (metrics.token): it ${weak}`);
  }
  return problems;
}
