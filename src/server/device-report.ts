/**
 * The bodies of the handshake and the heartbeat: what the kiosk tells the server about itself. Built fresh
 * for every call (addresses and load change), and shaped for the real server's rules: `ip_local` always
 * present, `ip_vpn` an IP or null, health percentages within 0–100, field lengths within the limits.
 */
import os from 'node:os';
import type { HandshakeRequest, HeartbeatRequest } from './schemas/edge.js';
import { CpuMeter, healthMetrics, ipOrNull, jetpackVersion, localIp, vpnIp } from './system-info.js';

export interface DeviceReportOptions {
  hardwareId: string;
  fallbackName: string;
  timezone: string;
  version: string;
  dataDir: string;
  binCapacity?: () => number;
  machineStatus?: () => string;
  hardwareInfo?: () => HandshakeRequest['hardware_info'];
}

export class DeviceReport {
  private readonly cpu = new CpuMeter();

  constructor(private readonly opts: DeviceReportOptions) {}

  handshake(): HandshakeRequest {
    const jetpack = jetpackVersion();
    return {
      hardware_id: this.opts.hardwareId.slice(0, 100),
      // The reference edge sends its hostname here.
      name: os.hostname().slice(0, 255) || this.opts.fallbackName,
      ip_local: ipOrNull(localIp()),
      ip_vpn: ipOrNull(vpnIp()),
      timezone: this.opts.timezone.slice(0, 50),
      system: { firmware_version: this.opts.version, ...(jetpack ? { jetpack_version: jetpack } : {}) },
      controller_type: 'rvm-kiosk',
      health_metrics: healthMetrics(this.cpu, this.opts.dataDir),
      hardware_info: this.opts.hardwareInfo?.() ?? { cameras: [], sensors: [], actuators: [], microcontroller: [] },
    };
  }

  heartbeat(): HeartbeatRequest {
    const vpn = ipOrNull(vpnIp());
    return {
      hardware_id: this.opts.hardwareId,
      status: this.opts.machineStatus?.() ?? 'online',
      version: this.opts.version,
      bin_capacity: Math.round(Math.min(100, Math.max(0, this.opts.binCapacity?.() ?? 0))),
      health_metrics: healthMetrics(this.cpu, this.opts.dataDir),
      ip_local: ipOrNull(localIp()),
      ...(vpn ? { tailscale_ip: vpn } : {}),
    };
  }
}
