import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to a database server (Redis, PostgreSQL) for tests: while stalled, the server's
 * answers are held back (a server that stops answering), and sent on in order once resumed.
 */
export class StallingRelay {
  private server?: Server;
  private stalled = false;
  private readonly held: Array<{ to: Socket; data: Buffer }> = [];
  private readonly sockets = new Set<Socket>();

  /** Listens on a free loopback port, relaying to `host`:`port`; returns the port. */
  async start(host: string, port: number): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(port, host);
      this.sockets.add(client).add(upstream);
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => { if (this.stalled) this.held.push({ to: client, data: d }); else client.write(d); });
      const end = () => { client.destroy(); upstream.destroy(); };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server!.address() as { port: number }).port;
  }

  stall(): void { this.stalled = true; }

  resume(): void {
    this.stalled = false;
    for (const { to, data } of this.held.splice(0)) to.write(data);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
