/** Parsing with the usage error printed the one way both hosts print it (exit code 2 is the caller's). */
import { parseCli, UsageError, type ParsedCli } from './args.js';

/** Parses, or prints the usage error with where to look and returns null. */
export function parseOrReport(argv: readonly string[], io: { err(text: string): void }): ParsedCli | null {
  try {
    return parseCli(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`rvm-kiosk: ${err.message}\n${err.command ? `See: rvm-kiosk ${err.command} --help` : 'See: rvm-kiosk --help'}`);
    return null;
  }
}
