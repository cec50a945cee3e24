/** The operator log's JSON lines as objects (`<dataDir>/logs/operator.jsonl`); none yet is an empty list. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function readOperatorLog(dataDir: string): Array<Record<string, unknown>> {
  try {
    return readFileSync(path.join(dataDir, 'logs', 'operator.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } catch {
    return [];
  }
}
