/**
 * Remote access (`remoteAccess` in rvm-kiosk.json). Off by default: a machine in a public place opens no way
 * in unless its owner configured one. See docs/remote-access.md for what a session does and its risks.
 */
import { z } from 'zod';

export const remoteAccessConfig = z.object({
  /** Off = `remote.start` is refused with `remote_disabled` and nothing is ever run. */
  enabled: z.boolean().default(false),
  /**
   * The program and its arguments, run without a shell. Placeholders filled per session: {host} {port}
   * {user} (from the server's start reply, checked to be a plain host name / port / user name), {seconds}
   * (the session's hard limit) and {session} (its id). Example, a reverse SSH tunnel that also ends by
   * itself if the kiosk dies: ["timeout", "{seconds}", "ssh", "-N", "-o", "ExitOnForwardFailure=yes",
   * "-R", "{port}:localhost:22", "{user}@{host}"].
   */
  command: z.array(z.string().min(1)).default([]),
  /** Session length when the technician does not say. */
  defaultMinutes: z.number().int().min(1).max(24 * 60).default(30),
  /** Hard upper limit of a session; a longer request is cut to this. */
  maxMinutes: z.number().int().min(1).max(24 * 60).default(60),
  /** The command's output is logged at most once per this many ms (with a count of the lines skipped). */
  logEveryMs: z.number().int().min(1_000).default(10_000),
  /** Sessions kept in <dataDir>/remote-access-history.json. */
  historySize: z.number().int().min(1).max(500).default(50),
}).strict();

export type RemoteAccessConfig = z.infer<typeof remoteAccessConfig>;
