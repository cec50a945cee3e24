/** `npm run check:layers`: fails (exit 1) with one line per import that breaks the layering rules. */
import path from 'node:path';
import { checkLayers } from './layers.js';

const root = path.resolve(process.argv[2] ?? '.');
const violations = checkLayers(root);
for (const v of violations) {
  const what = v.specifier ? `imports "${v.specifier}": ` : '';
  console.error(`${path.relative(root, v.file)}:${v.line}: ${what}${v.rule}`);
}
if (violations.length > 0) {
  console.error(`layer check: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log('layer check: ok');
