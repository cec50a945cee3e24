/**
 * The soak's figures, from three witnesses that do not share code paths: what the screen was told (the
 * ledger), what the controller dropped into a bin (the simulator), and what the server received by client id
 * (the server simulator, which does not de-duplicate). Written as bench-output/soak.json in the benchmark
 * shape, plus the raw counts the issue asks for at the top level.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchOutputDir } from '../report/write-result.js';
import type { ServerSimulator } from '../../src/server/simulator/server-simulator.js';
import type { Ledger, RssSample } from './ledger.js';
import type { SoakPlan } from './plan.js';

export const TARGETS = { lost: 0, duplicated: 0, rss_growth_500_to_end: 1.1 } as const;

export interface ReportInput {
  plan: SoakPlan;
  ledger: Ledger;
  server: ServerSimulator;
  /** Item ids the controller dropped into a bin (not the reject chute). */
  droppedIds: string[];
  handedBack: number;
  seconds: number;
  diskFaultSkipped: boolean;
}

const MIB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;

/** RSS of the longest life around its item `from` and at its end (medians of a few samples, for noise). */
export function rssTrend(samples: RssSample[]): { life: number; lifeItems: number; from: number; atFromMiB: number; atEndMiB: number; growth: number } | null {
  const byLife = new Map<number, RssSample[]>();
  for (const s of samples) byLife.set(s.life, [...(byLife.get(s.life) ?? []), s]);
  const longest = [...byLife.values()].sort((a, b) => (b.at(-1)?.lifeItems ?? 0) - (a.at(-1)?.lifeItems ?? 0))[0];
  if (!longest || longest.length < 4) return null;
  const lifeItems = longest.at(-1)!.lifeItems;
  // Item 500 as the issue says, or half-way through a life too short for that (the quick run).
  const from = Math.min(500, Math.floor(lifeItems / 2));
  const startIndex = Math.max(0, longest.findIndex((s) => s.lifeItems >= from));
  const atFrom = median(longest.slice(startIndex, startIndex + 5).map((s) => s.rss));
  const atEnd = median(longest.slice(-5).map((s) => s.rss));
  return { life: longest[0]!.life, lifeItems, from, atFromMiB: round(atFrom / MIB), atEndMiB: round(atEnd / MIB), growth: round(atEnd / atFrom, 3) };
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Why each extra copy arrived: a kill between the two copies, a server fault window around the first, or neither. */
function duplicateCauses(server: ServerSimulator, ledger: Ledger): Record<string, number> {
  const arrivals = [...server.state.deposits, ...server.state.offlineItems].filter((d) => d.clientId).sort((a, b) => a.at - b.at);
  const firstAt = new Map<string, number>();
  const causes: Record<string, number> = {};
  for (const d of arrivals) {
    const first = firstAt.get(d.clientId!);
    if (first === undefined) {
      firstAt.set(d.clientId!, d.at);
      continue;
    }
    const kill = ledger.killTimes.some((t) => t >= first - 50 && t <= d.at);
    const window = ledger.serverWindows.find((w) => first >= w.from - 100 && first <= w.to + 100);
    const cause = kill ? 'kill -9 between the copies' : window ? `reply lost in a ${window.kind} window` : 'no kill, no server fault';
    causes[cause] = (causes[cause] ?? 0) + 1;
  }
  return causes;
}

export function buildReport(input: ReportInput): Record<string, unknown> {
  const { ledger, server, plan } = input;
  const received = server.state.receivedClientIds();
  const delivered = new Set(received);
  const told = ledger.acceptedIds();
  const dropped = new Set(input.droppedIds);
  const lost = told.filter((id) => !delivered.has(id));
  const duplicated = received.length - delivered.size;
  const trend = rssTrend(ledger.rss);
  const peakRss = Math.max(0, ...ledger.rss.map((s) => s.rss));
  const figures = {
    seed: plan.seed,
    belt: plan.belt,
    quick: plan.quick,
    seconds: input.seconds,
    itemsInserted: ledger.inserted,
    acceptedIntoBins: dropped.size,
    handedBack: input.handedBack,
    credited: told.length,
    deliveredClientIds: delivered.size,
    deliveriesAtServer: received.length,
    lost: lost.length,
    duplicated,
    duplicateCauses: duplicateCauses(server, ledger),
    droppedButNotDelivered: [...dropped].filter((id) => !delivered.has(id)).length,
    deliveredWithoutDrop: [...delivered].filter((id) => !dropped.has(id)).length,
    deliveredNotShownOnScreen: [...delivered].filter((id) => !ledger.told.get(id)?.accepted).length,
    insertsRefusedByMachine: ledger.insertsRefusedByMachine,
    insertedOutsideSession: ledger.insertedOutsideSession,
    leftInIntake: ledger.leftInIntake,
    pulledBackToldAccepted: ledger.pulledBackToldAccepted,
    sessionsStarted: ledger.sessionsStarted,
    sessionsInterruptedByKill: ledger.sessionsInterruptedByKill,
    // The core keeps no session across a restart (it starts idle); the killed session's credits are still delivered.
    sessionsResumedAfterKill: 0,
    faults: { ...ledger.injected, ...(input.diskFaultSkipped ? { disk_full: 'skipped (not root: no small disk to fill)' } : {}) },
    recovery: ledger.recoveryFigures(),
    itemsPerMinute: round(ledger.inserted / (input.seconds / 60)),
    itemToScreenMsP50: median(ledger.itemMs),
    loopTurnMsP50: median(ledger.cycleMs),
    peakRssMiB: round(peakRss / MIB),
    rssTrend: trend,
  };
  const ratios = { lost: lost.length, duplicated, rss_growth_500_to_end: trend?.growth ?? null };
  const met = lost.length === TARGETS.lost && duplicated === TARGETS.duplicated && trend !== null && trend.growth < TARGETS.rss_growth_500_to_end;
  return {
    name: plan.quick ? 'soak-quick' : 'soak',
    at: new Date().toISOString(),
    host: { node: process.version, platform: process.platform, arch: process.arch, cpus: os.cpus().length, loadAverage: os.loadavg().map((v) => round(v, 2)) },
    items: ledger.inserted,
    credited: told.length,
    delivered: delivered.size,
    lost: lost.length,
    duplicated,
    kills: ledger.injected.kill ?? 0,
    unplugs: ledger.injected.unplug ?? 0,
    figures,
    ratios,
    targets: TARGETS,
    met,
    lostIds: lost.slice(0, 20),
    rssSamples: ledger.rss.map((s) => ({ t: s.at, life: s.life, lifeItems: s.lifeItems, rssMiB: round(s.rss / MIB) })),
  };
}

export function writeReport(report: Record<string, unknown>, quick: boolean): string {
  // The shape of bench/report/write-result.ts (name, at, host, figures, ratios, targets, met) plus the counts.
  const dir = benchOutputDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, quick ? 'soak-quick.json' : 'soak.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
