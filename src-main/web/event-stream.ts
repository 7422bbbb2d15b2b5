import type { ServerResponse } from 'node:http';

/**
 * Server-sent events to every connected window. A comment line every `heartbeatMs` keeps idle
 * connections (and proxies) from timing out; the timer does not keep the process alive.
 */
export class EventStreamHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => this.writeAll(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes over a response as an event stream until the client goes away. */
  attach(response: ServerResponse, headers: Readonly<Record<string, string>>): void {
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
  }

  /** Sends one event (JSON payload on one `data:` line; JSON never contains a raw newline). */
  send(event: string, payload: unknown): void {
    this.writeAll(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private writeAll(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }
}
