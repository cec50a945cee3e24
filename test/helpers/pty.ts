/**
 * socat pseudo-terminal pairs for tests, with the CI rule: a test that needs socat fails when it is
 * missing in CI (CI=true) and is skipped, with the reason in its name, only outside CI.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { socatAvailable, SocatPtyPair } from '../../src/hardware/transport/socat-pty.js';

export const isCI = process.env.CI === 'true';
export const hasSocat = socatAvailable();

export function describeWithSocat(name: string, body: () => void): void {
  if (!hasSocat && !isCI) {
    describe.skip(`${name} (skipped: socat is not installed)`, body);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      if (!hasSocat) throw new Error('socat is required for this test in CI: apt-get install -y socat');
    });
    body();
  });
}

/** A started pty pair, torn down (socat stopped, temp dir removed) after the enclosing suite. */
export function usePtyPair(): () => SocatPtyPair {
  let pair: SocatPtyPair | null = null;
  beforeAll(async () => {
    pair = await SocatPtyPair.create('rvm-test-pty-');
  });
  afterAll(async () => {
    await pair?.dispose();
  });
  return () => {
    if (!pair) throw new Error('pty pair not started');
    return pair;
  };
}

export { SocatPtyPair };
