// Types for scripts/pack-appimage-check.mjs (plain JavaScript on purpose: it runs after the cross-install).
export interface PackageReport {
  total: number;
  asar: number;
  asarUnpacked: number;
  resources: number;
  locales: string[];
  natives: string[];
}
export function requiredNatives(arch: 'arm64' | 'x64'): Array<{ what: string; pattern: RegExp }>;
export function listFiles(dir: string, out?: string[]): string[];
export function elfMachine(file: string): number | null;
export function sizeOf(dir: string): number;
export function checkPackage(unpackedDir: string, arch?: 'arm64' | 'x64'): { problems: string[]; report: PackageReport };
export function describeReport(report: PackageReport): string;
