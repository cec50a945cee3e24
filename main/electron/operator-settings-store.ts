/**
 * The installer's on-screen settings (src/app/first-run/operator-settings.ts) kept with electron-store, as the
 * product owner chose for settings changed from the screens. The store is pointed at the data folder and named
 * so that its file is exactly `<dataDir>/operator-settings.json` (0600): the CLI and the Node hosts, which cannot
 * load electron-store, read and write the same JSON with the plain file store. The schema is applied around this
 * by the port's callers on every read and write; here a damaged file is an error, never silently emptied.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Store from 'electron-store';
import { fileOperatorSettings, OPERATOR_SETTINGS_FILE, type OperatorSettings, type OperatorSettingsStore } from '../../src/app/first-run/operator-settings.js';

const NAME = path.basename(OPERATOR_SETTINGS_FILE, '.json');

function open(dataDir: string): Store<Record<string, unknown>> {
  return new Store<Record<string, unknown>>({ cwd: dataDir, name: NAME, clearInvalidConfig: false, configFileMode: 0o600 });
}

export const electronOperatorSettings: OperatorSettingsStore = {
  read(dataDir) {
    // No file yet: say so without letting electron-store create the folder (and, for a data folder that is a
    // file, fail as the file store does, so the configuration loader can name the setting).
    if (!existsSync(path.join(dataDir, OPERATOR_SETTINGS_FILE))) return fileOperatorSettings.read(dataDir);
    try {
      return open(dataDir).store;
    } catch (err) {
      // conf names no file in its parse error: say which one.
      if (err instanceof SyntaxError) throw new SyntaxError(`${path.join(dataDir, OPERATOR_SETTINGS_FILE)}: ${err.message}`);
      throw err;
    }
  },
  async write(dataDir, values: OperatorSettings) {
    open(dataDir).store = { ...values };
  },
};
