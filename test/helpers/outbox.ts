/**
 * Test helpers for the outbox: temp data dirs, credit factories, and a loopback HTTP receiver standing in
 * for the server's batch endpoint (real HTTP on 127.0.0.1, ephemeral port), plus the sender that talks to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { OutboxConfig } from '../../src/outbox/config.js';
import { Outbox } from '../../src/outbox/outbox.js';
import type { OutboxItem, OutboxSender, SendResult } from '../../src/outbox/sender.js';
import type { CreditRecord } from '../../src/domain/ports.js';
import { eventually } from './eventually.js';

export async function makeTempDir(prefix = 'rvm-outbox-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh data folder for every test of the file, and the outboxes opened in it: closed (last first, their
 * last writes done) before the folder is removed. Call at the top of a test file.
 */
export function outboxPerTest(prefix: string, closeGraceMs?: number): { dir(): string; open(config: OutboxConfig): Promise<Outbox> } {
  let current: { dir: string; cleanup: () => Promise<void> } | null = null;
  const opened: Outbox[] = [];
  beforeEach(async () => {
    current = await makeTempDir(prefix);
  });
  afterEach(async () => {
    for (const box of opened.splice(0).reverse()) await box.close(closeGraceMs).catch(() => undefined);
    await current?.cleanup();
    current = null;
  });
  const dir = () => {
    if (!current) throw new Error('outboxPerTest: no folder outside a test');
    return current.dir;
  };
  return {
    dir,
    async open(config) {
      const box = await Outbox.open(dir(), config);
      opened.push(box);
      return box;
    },
  };
}

export function makeCredit(n: number, overrides: Partial<CreditRecord> = {}): CreditRecord {
  return {
    id: `credit-${String(n).padStart(5, '0')}`,
    sessionId: `session-${Math.floor(n / 10)}`,
    material: n % 3 === 0 ? 'can' : 'pet',
    points: 10,
    weightGrams: 15 + (n % 7),
    confidence: 0.9,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    ...overrides,
  };
}

export type ReceiverMode = 'up' | 'error503';

/**
 * Accepts POST /batch `{records:[{id,…}]}`. `onBatch` runs after the batch is stored and before the
 * reply: a test can hold the reply there (to kill the sender "mid-flush", after the server committed).
 */
export class LoopbackReceiver {
  mode: ReceiverMode = 'up';
  readonly batches: string[][] = [];
  /** Every record body received, in arrival order. */
  readonly records: Array<{ id: string; imageBytes?: number }> = [];
  onBatch: ((ids: string[], index: number) => Promise<void> | void) | null = null;
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  private port = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}/batch`;
    return this;
  }

  /** Server down: stop listening, so connections are refused (ECONNREFUSED), as with a dead host. */
  async goDown(): Promise<void> {
    await this.stop();
  }

  /** Back up on the same port. */
  async goUp(): Promise<void> {
    await this.start();
  }

  /** Every id received, in arrival order, duplicates included. */
  get received(): string[] {
    return this.batches.flat();
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.mode === 'error503') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records: Array<{ id: string; imageBytes?: number }> };
    const ids = body.records.map((r) => r.id);
    this.records.push(...body.records);
    const index = this.batches.push(ids) - 1;
    await this.onBatch?.(ids, index);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', synced_count: ids.length }));
  }
}

/** A sender over real HTTP: 2xx ok, 429/5xx or a network error retryable, other 4xx permanent. */
export function httpSender(url: string): OutboxSender {
  return {
    async send(batch: readonly OutboxItem[]): Promise<SendResult> {
      const records = batch.map(({ photo, ...rest }) => ({ ...rest, imageBytes: photo?.bytes ?? 0 }));
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
      } catch (err) {
        return { kind: 'retryable', message: `network: ${(err as Error).message}` };
      }
      await res.arrayBuffer();
      if (res.ok) return { kind: 'ok' };
      if (res.status === 429 || res.status >= 500) return { kind: 'retryable', message: `HTTP ${res.status}` };
      return { kind: 'permanent', message: `HTTP ${res.status}` };
    },
  };
}

/** A child process that prints one JSON object per line on stdout. */
export interface JsonChild {
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  waitFor(predicate: (line: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

/** Run a TypeScript file under tsx as a direct child (so kill -9 hits the process doing the work). */
export function spawnTsx(file: string, env: Record<string, string>): JsonChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let buffered = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (text.startsWith('{')) lines.push(JSON.parse(text) as Record<string, unknown>);
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    async waitFor(predicate, what) {
      let done = false;
      void exited.then(() => (done = true));
      const seen = () => {
        if (lines.some(predicate) || done) return true;
        throw new Error(`last line ${JSON.stringify(lines.at(-1) ?? null)}, stderr ${JSON.stringify(stderr.slice(-300))}`);
      };
      // Below the 30 s test timeout, so a stuck child fails with this message rather than a bare timeout.
      await eventually(seen, { what, timeoutMs: 25_000 });
      const line = lines.find(predicate);
      if (!line) throw new Error(`child exited before ${what}; stderr: ${stderr}`);
      return line;
    },
  };
}

/** A server that stores everything it is sent, duplicates included, like today's MyRVM-Server. */
export function recordingServer(): OutboxSender & { received: string[] } {
  const received: string[] = [];
  return {
    received,
    async send(batch: readonly OutboxItem[]) {
      received.push(...batch.map((i) => i.id));
      return { kind: 'ok' };
    },
  };
}
