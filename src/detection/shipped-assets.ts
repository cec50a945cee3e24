/**
 * Where the shipped demo model and demo images are. The path is found by walking up from this module to the
 * package root, so it holds from the TypeScript sources (tsx), from dist/ and from inside an Electron asar.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('detection: no package.json above the detection module');
    dir = parent;
  }
  return dir;
}

export const shippedManifestPath = (): string => path.join(packageRoot(), 'assets', 'models', 'centernet.manifest.json');
export const shippedCameraDir = (): string => path.join(packageRoot(), 'assets', 'demo-camera');
