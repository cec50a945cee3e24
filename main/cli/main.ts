/**
 * The `rvm-kiosk` command in a checkout: package.json "bin" → bin/rvm-kiosk.mjs → here (`npm start` too).
 */
import { runNodeCli } from './node-cli.js';

runNodeCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (err: Error) => {
    console.error(`rvm-kiosk: ${err.message}`);
    process.exit(1);
  },
);
