/**
 * Filling the configured command's placeholders with what the server's start reply says. Each value is
 * checked to be plainly what it claims (a host name or IP, a port number, a user name): the command runs
 * without a shell, but a value starting with "-" could still be read as an option (ssh's
 * "-oProxyCommand=…" runs anything), so such values are refused, never passed on.
 */
export interface Grant {
  sessionId: string;
  host?: string;
  port?: number;
  user?: string;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:]+\]?$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
const SESSION = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

export function usesServerValues(command: readonly string[]): boolean {
  return command.some((arg) => /\{(host|port|user)\}/.test(arg));
}

/** The argv to run, or a sentence saying which value was missing or unsafe. */
export function fillCommand(command: readonly string[], grant: Grant, seconds: number): string[] | string {
  const values: Record<string, string | undefined> = {
    host: grant.host,
    port: grant.port === undefined ? undefined : String(grant.port),
    user: grant.user,
    seconds: String(Math.max(1, Math.round(seconds))),
    session: grant.sessionId,
  };
  const problems: string[] = [];
  if (grant.host !== undefined && !HOST.test(grant.host)) problems.push('host');
  if (grant.port !== undefined && !(Number.isInteger(grant.port) && grant.port >= 1 && grant.port <= 65535)) problems.push('port');
  if (grant.user !== undefined && !USER.test(grant.user)) problems.push('user');
  if (!SESSION.test(grant.sessionId)) problems.push('session');
  if (problems.length) return `the server's ${problems.join(', ')} is not a plain value: refused`;
  const missing = new Set<string>();
  const argv = command.map((arg) =>
    arg.replace(/\{(host|port|user|seconds|session)\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) missing.add(key);
      return value ?? '';
    }),
  );
  return missing.size ? `the server's reply lacks ${[...missing].join(', ')}` : argv;
}
