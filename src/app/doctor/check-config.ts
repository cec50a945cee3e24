/** Configuration: valid (strict: unknown keys rejected), each part's mode, and where the settings came from. */
import { ConfigError, describeStartLine, loadConfig, type ConfigSource, type LoadedConfig } from '../load-config.js';
import { errorText, fail, ok, type CheckResult } from './types.js';

export function checkConfig(source: ConfigSource): { result: CheckResult; loaded: LoadedConfig | null } {
  try {
    const loaded = loadConfig(source);
    return { result: ok('config', 'configuration', `valid: ${describeStartLine(loaded.config, loaded.sources)}`), loaded };
  } catch (err) {
    const fix =
      err instanceof ConfigError
        ? 'correct the file or RVM__ variable named above (every key: docs/configuration.md); the kiosk will not start until then'
        : 'report this as a bug with the message above';
    return { result: fail('config', 'configuration', errorText(err), fix), loaded: null };
  }
}
