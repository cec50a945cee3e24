/**
 * The machine every fuzz family ends on: a kiosk core (the real outbox, serial driver, session pipeline and
 * custody — test/integration/custody-rig.ts's mini kiosk) on a socat pty, the controller simulator on a second
 * pty, and the server simulator behind a loopback front server. Between the two ptys sits a byte relay
 * (`serial`) that can inject garbage either way, so frames reach the real driver and the simulator's real
 * parser over real ptys; the front server (`front`) either forwards to the simulator or answers whatever a
 * family scripts, so the kiosk's own deposit sender meets the nonsense too.
 *
 * `completeNormalItem()` is the proof after each family: a bottle goes in, is accepted, credited, and its
 * credit reaches the server simulator.
 */
import { ApiClient } from '../../src/server/api-client.js';
import { parseCredentials } from '../../src/server/credentials.js';
import { createDepositSender } from '../../src/server/deposit-sender.js';
import { createHttpTransport } from '../../src/server/http/transport.js';
import { startServerSimulator, type ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import { oneByOneSender } from '../../src/outbox/sender.js';
import { ControllerSimulator, DEFAULT_SIMULATOR_OPTIONS } from '../../src/hardware/simulator/controller-simulator.js';
import { runSimulatorOnPort, type RunningSimulator } from '../../src/hardware/simulator/port-runner.js';
import { openSerialLink } from '../../src/hardware/transport/serial-link.js';
import { SocatPtyPair } from '../../src/hardware/transport/socat-pty.js';
import { eventually } from '../helpers/eventually.js';
import { makeTempDir } from '../helpers/outbox.js';
import { fakeJpeg } from '../helpers/server-sim.js';
import { SerialRelay, startFrontServer, type FrontServer } from './relays.js';
import type { Classification, ItemClassifier } from '../../src/domain/ports.js';
import { RIG_TIMINGS, startMiniKiosk, WeightClassifier, type MiniKiosk } from '../integration/custody-rig.js';

export { pathOf, startFrontServer, type FrontHandler, type FrontServer } from './relays.js';

/** The custody rig's judge by weight, taking the reading as a number or as the promise the pipeline may pass. */
class SettledWeightClassifier implements ItemClassifier {
  private readonly inner = new WeightClassifier(fakeJpeg(256));
  async classify(weight?: number | Promise<number | null>): Promise<Classification> {
    const grams = await weight;
    return this.inner.classify(grams ?? undefined);
  }
}


export interface FuzzMachine {
  kiosk: MiniKiosk;
  controller: ControllerSimulator;
  serial: SerialRelay;
  server: ServerSimulator;
  front: FrontServer;
  /** The API client the kiosk's outbox delivers through (credentials of the simulator, URL of the front). */
  client: ApiClient;
  completeNormalItem(): Promise<{ id: string; items: number }>;
  stop(): Promise<void>;
}

export async function startFuzzMachine(): Promise<FuzzMachine> {
  const { dir: dataDir, cleanup: removeDir } = await makeTempDir('rvm-fuzz-');
  const kioskPair = await SocatPtyPair.create('rvm-fuzz-pty-');
  const controllerPair = await SocatPtyPair.create('rvm-fuzz-pty-');
  const controller = new ControllerSimulator({ ...DEFAULT_SIMULATOR_OPTIONS, heartbeatMs: 100, dropResendMs: 100, timings: RIG_TIMINGS });
  const running: RunningSimulator = runSimulatorOnPort(controller, controllerPair.devicePath);
  const serial = new SerialRelay(await openSerialLink(kioskPair.devicePath), await openSerialLink(controllerPair.hostPath));
  const server = await startServerSimulator({ realtime: false });
  const front = await startFrontServer(server);
  const kiosk = await startMiniKiosk({
    dataDir,
    ptyPath: kioskPair.hostPath,
    classifier: new SettledWeightClassifier(),
    outbox: { backoff: { firstMs: 50, factor: 2, maxMs: 400 } },
  });
  const client = new ApiClient({
    baseUrl: front.url,
    credentials: parseCredentials(server.credentials, 'fuzz'),
    transport: createHttpTransport({ maxSockets: 2 }),
    timeoutMs: 3_000,
  });
  client.setMachineUuid(server.machineUuid);
  const sender = createDepositSender(client);
  kiosk.outbox.attachSender(oneByOneSender((item) => sender.sendDeposit(item)));

  const completeNormalItem = async () => {
    const flow = kiosk.flow;
    await eventually(() => kiosk.ctx.status.state === 'ready' || flow.current.phase === 'active', { what: 'the machine ready for an item', timeoutMs: 20_000 });
    if (flow.current.phase !== 'active') await kiosk.ctx.core.call('session.start', { mode: 'guest' });
    await eventually(() => flow.current.phase === 'active', { what: 'an active session', timeoutMs: 10_000 });
    const before = flow.current.items.length;
    await eventually(() => controller.model.intake === null, { what: 'an empty intake', timeoutMs: 15_000 });
    controller.model.insertItem('pet');
    const item = await eventually(() => (flow.current.items.length > before && flow.current.phase === 'active' ? flow.current.items[before]! : false), {
      what: 'the normal item settled',
      timeoutMs: 25_000,
    });
    if (!item.accepted || item.points <= 0) throw new Error(`the normal item was not credited: ${JSON.stringify(item)}`);
    kiosk.outbox.retrySoon();
    await eventually(() => kiosk.outbox.state().pending === 0, { what: 'the outbox delivered the normal item', timeoutMs: 20_000 });
    await eventually(() => server.state.receivedClientIds().includes(item.id), { what: "the normal item's credit at the server", timeoutMs: 5_000 });
    return { id: item.id, items: flow.current.items.length };
  };

  return {
    kiosk,
    controller,
    serial,
    server,
    front,
    client,
    completeNormalItem,
    async stop() {
      await kiosk.stop().catch(() => undefined);
      await client.close();
      await serial.close().catch(() => undefined);
      controller.stop();
      await running.stop();
      await front.close();
      await server.close();
      await kioskPair.dispose();
      await controllerPair.dispose();
      await removeDir();
    },
  };
}
