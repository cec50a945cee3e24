/**
 * `npm run import:credentials -- /media/usb/rvm-credentials.json`: checks the file the MyRVM admin page exported
 * and stores it in the kiosk's data directory (mode 0600). Prints the serial number and name, never the key.
 */
import { loadConfig } from '../src/app/load-config.js';
import { importCredentials } from '../src/server/import-credentials.js';

const args = process.argv.slice(2);
const source = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--config');
if (!source) {
  console.error('usage: npm run import:credentials -- <path to rvm-credentials.json> [--config kiosk.json]');
  process.exit(2);
}

try {
  const { config } = loadConfig();
  const { file, credentials } = await importCredentials(source, config.dataDir);
  console.log(`Imported credentials for ${credentials.serialNumber} (${credentials.name}) into ${file}.`);
  console.log('Set "server": { "mode": "remote", "url": "https://<your server>" } in the configuration to use them.');
} catch (err) {
  console.error(`Not imported: ${(err as Error).message}`);
  process.exit(1);
}
