/**
 * A real Mosquitto broker for tests: `mosquitto -c <tmp conf>` on 127.0.0.1 and a free port, stopped and
 * restarted on the same port on demand, plus a watching subscriber. The CI rule of test/helpers/tools.ts
 * holds: with CI=true a missing mosquitto fails the suite (`.ci/run` installs the Debian package); elsewhere
 * the suite is skipped with the reason in its name.
 *
 * Debian puts the broker in /usr/sbin, often not on a user's PATH, hence the explicit candidates. Run as root,
 * mosquitto would drop to the `mosquitto` user and could not read our 0700 temp folder: `user root` keeps it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { eventually } from './eventually.js';
import { requireTool } from './tools.js';

export const mosquittoPath = requireTool('mosquitto', ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto']);

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface BrokerOptions {
  port?: number;
  /** Keep sessions and queued messages across a restart (saved when the broker exits on SIGTERM). */
  persistence?: boolean;
  /** Lines for the listener, replacing `allow_anonymous true` (TLS files, password_file…). */
  listenerLines?: string[];
  /** Start later with start(); the port is reserved by number only. */
  deferStart?: boolean;
}

export class MosquittoBroker {
  private proc: ChildProcess | null = null;
  private stderr = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly confFile: string,
    readonly scheme: 'mqtt' | 'mqtts',
  ) {}

  static async create(options: BrokerOptions = {}): Promise<MosquittoBroker> {
    if (!mosquittoPath) throw new Error('mosquitto is not installed (apt-get install -y mosquitto)');
    const dir = await mkdtemp(path.join(tmpdir(), 'rvm-mosquitto-'));
    const port = options.port ?? (await freePort());
    const lines = [
      `listener ${port} 127.0.0.1`,
      ...(options.listenerLines ?? ['allow_anonymous true']),
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      `persistence ${options.persistence ? 'true' : 'false'}`,
      `persistence_location ${dir}/`,
      'queue_qos0_messages true',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
    ];
    const confFile = path.join(dir, 'mosquitto.conf');
    await writeFile(confFile, `${lines.join('\n')}\n`);
    const tls = (options.listenerLines ?? []).some((l) => l.startsWith('certfile'));
    const broker = new MosquittoBroker(dir, port, confFile, tls ? 'mqtts' : 'mqtt');
    if (!options.deferStart) await broker.start();
    return broker;
  }

  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** The broker's own log, for failure messages. */
  get log(): string {
    return this.stderr.slice(-3000);
  }

  async start(): Promise<void> {
    if (this.running) return;
    const proc = spawn(mosquittoPath!, ['-c', this.confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-20_000)));
    await eventually(
      async () => {
        if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}: ${this.log}`);
        return await canConnect(this.port);
      },
      { what: `mosquitto listening on port ${this.port}` },
    );
  }

  /** SIGTERM: a clean exit, which saves the persistence database. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
    this.proc = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Received {
  topic: string;
  json: Record<string, unknown>;
  retain: boolean;
  qos: number;
}

/**
 * A subscriber that records every message as parsed JSON. `persistent` = a fixed client id with
 * `clean: false` and QoS 1: the broker keeps what arrives while it is disconnected (even across a broker
 * restart with persistence), so a test does not race the kiosk's reconnect against the watcher's.
 */
export class Watcher {
  readonly messages: Received[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, json: JSON.parse(payload.toString('utf8')) as Record<string, unknown>, retain: packet.retain, qos: packet.qos });
    });
  }

  static async connect(url: string, topic: string, options: IClientOptions & { persistent?: string } = {}): Promise<Watcher> {
    const { persistent, ...rest } = options;
    const client = await connectAsync(url, {
      reconnectPeriod: 100,
      connectTimeout: 5_000,
      ...(persistent ? { clientId: persistent, clean: false } : {}),
      ...rest,
    });
    const watcher = new Watcher(client);
    await client.subscribeAsync(topic, { qos: 1 });
    return watcher;
  }

  on(topic: string): Received[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
