/**
 * `npm run import:credentials -- FILE [--force] [--config kiosk.json]`: the same as
 * `rvm-kiosk import-credentials FILE` (main/cli/import-credentials.ts), kept for existing instructions.
 */
process.argv.splice(2, 0, 'import-credentials');
await import('./cli/main.js');
