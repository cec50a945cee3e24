/**
 * What the kiosk reports about its host in the handshake and heartbeat: addresses, load, temperature.
 * The real server is strict about two things here: `ip_vpn` must be an IP or null (a label such as the
 * reference edge's "Not Connected" gets a 422), and health percentages must be numbers within 0–100.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import type { HealthMetrics } from './schemas/edge.js';

/** Tailscale hands out addresses from the CGNAT range 100.64.0.0/10. */
export function isTailscaleAddress(ip: string): boolean {
  const m = /^100\.(\d+)\./.exec(ip);
  return m !== null && Number(m[1]) >= 64 && Number(m[1]) <= 127;
}

type Interfaces = ReturnType<typeof os.networkInterfaces>;

function ipv4s(interfaces: Interfaces): Array<{ name: string; address: string }> {
  const out: Array<{ name: string; address: string }> = [];
  for (const [name, addrs] of Object.entries(interfaces)) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) out.push({ name, address: a.address });
  }
  return out;
}

export function localIp(interfaces: Interfaces = os.networkInterfaces()): string | null {
  const found = ipv4s(interfaces).find((a) => !a.name.startsWith('tailscale') && !isTailscaleAddress(a.address));
  return found?.address ?? null;
}

export function vpnIp(interfaces: Interfaces = os.networkInterfaces()): string | null {
  const found = ipv4s(interfaces).find((a) => a.name.startsWith('tailscale') || isTailscaleAddress(a.address));
  return found?.address ?? null;
}

/** Anything that is not a valid IP becomes null, never a label. */
export function ipOrNull(value: string | null | undefined): string | null {
  return value && isIP(value) ? value : null;
}

export function clampPercent(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
}

/** CPU use between two calls, from the kernel's per-core tick counters (the first call measures since boot). */
export class CpuMeter {
  private last = totals();

  usagePercent(): number {
    const now = totals();
    const busy = now.busy - this.last.busy;
    const all = now.all - this.last.all;
    this.last = now;
    return all > 0 ? clampPercent((busy / all) * 100) : 0;
  }
}

function totals(): { busy: number; all: number } {
  let busy = 0;
  let all = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    const sum = t.user + t.nice + t.sys + t.idle + t.irq;
    all += sum;
    busy += sum - t.idle;
  }
  return { busy, all };
}

/** The first thermal zone, in °C (Jetsons and most SBCs have one; containers and VMs often do not). */
export function cpuTemperature(file = '/sys/class/thermal/thermal_zone0/temp'): number | undefined {
  try {
    const milli = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(milli) ? Math.round(milli / 100) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export function diskUsagePercent(dir: string): number {
  try {
    const s = statfsSync(dir);
    return s.blocks > 0 ? clampPercent((1 - s.bavail / s.blocks) * 100) : 0;
  } catch {
    return 0;
  }
}

/**
 * The kiosk process's own memory in MiB. RSS covers the core thread, the inference worker thread and the native
 * libraries (onnxruntime, libvips): a leak there shows in it months before the machine's memory_usage_percent
 * moves. Heap used is the core thread's JS heap; RSS growing while it stays flat points at native memory.
 */
export function processMemory(usage: Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed'> = process.memoryUsage()): Required<Pick<HealthMetrics, 'process_rss_mb' | 'process_heap_used_mb'>> {
  const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { process_rss_mb: mib(usage.rss), process_heap_used_mb: mib(usage.heapUsed) };
}

export function healthMetrics(cpu: CpuMeter, dataDir: string): HealthMetrics {
  const temperature = cpuTemperature();
  return {
    cpu_usage_percent: cpu.usagePercent(),
    memory_usage_percent: clampPercent((1 - os.freemem() / os.totalmem()) * 100),
    disk_usage_percent: diskUsagePercent(dataDir),
    ...(temperature === undefined ? {} : { cpu_temperature: temperature }),
    ...processMemory(),
  };
}

/** JetPack / L4T release line on a Jetson, e.g. "R35 (release), REVISION: 4.1". */
export function jetpackVersion(file = '/etc/nv_tegra_release'): string | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n')[0]?.replace(/^#\s*/, '').slice(0, 50) || undefined;
  } catch {
    return undefined;
  }
}
