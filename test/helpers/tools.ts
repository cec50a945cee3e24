/**
 * Tests that need an outside tool (Chromium, socat, ffmpeg). Outside CI a missing tool skips the suite with
 * a reason; in CI (CI=true) a missing tool is a failure, so a green CI always means the tests really ran.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function findTool(name: string, candidates: string[] = []): string | null {
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Returns the tool's path, throws in CI when it is missing, or returns null (skip) elsewhere. */
export function requireTool(name: string, candidates: string[] = []): string | null {
  const found = findTool(name, candidates);
  if (!found && process.env.CI === 'true') {
    throw new Error(`${name} is required in CI but was not found (install it: apt-get install ${name})`);
  }
  return found;
}
