import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one provider instance (served at /metrics). */
export class Metrics {
  readonly registry = new Registry();
  readonly logins: Counter<'eid' | 'outcome'>;
  readonly tokenRequests: Counter<'grant_type' | 'outcome'>;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly activeSessions: Gauge;

  constructor(countSessions?: () => Promise<number | undefined>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ansattporten_process_' });
    this.logins = new Counter({
      name: 'ansattporten_logins_total', help: 'Completed and failed logins by eID and outcome',
      labelNames: ['eid', 'outcome'], registers: [this.registry],
    });
    this.tokenRequests = new Counter({
      name: 'ansattporten_token_requests_total', help: 'Token endpoint requests by grant type and outcome',
      labelNames: ['grant_type', 'outcome'], registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'ansattporten_http_request_duration_seconds', help: 'HTTP request latency by route',
      labelNames: ['route', 'method', 'status'], registers: [this.registry],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.activeSessions = new Gauge({
      name: 'ansattporten_active_sessions', help: 'Live browser sessions (where the store can count them)', registers: [this.registry],
      async collect() {
        // A store that cannot answer leaves the last value; the scrape itself never fails on it.
        const n = countSessions ? await countSessions().catch(() => undefined) : undefined;
        if (n !== undefined) this.set(n);
      },
    });
  }
}

/** A bounded label for grant_type (never echo arbitrary client input into label values). */
export function grantTypeLabel(v: string | undefined): string {
  return v === 'authorization_code' || v === 'refresh_token' ? v : 'other';
}
