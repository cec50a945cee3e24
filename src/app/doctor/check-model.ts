/**
 * The model the kiosk would run (the active downloaded one, else the configured or shipped one) loads in an
 * inference worker and classifies one image — the camera's frame, or a shipped photo — in measured time.
 * Read-only: unlike the kiosk's start-up it never changes which model is active.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Detector } from '../../detection/inference/detector.js';
import { loadModel } from '../../detection/manifest.js';
import { ModelStore } from '../../detection/model-store.js';
import { shippedCameraDir, shippedManifestPath } from '../../detection/shipped-assets.js';
import type { Frame } from '../../detection/camera/camera-source.js';
import { errorText, fail, ok, type CheckResult, type DoctorContext } from './types.js';

const ID = 'model';
const TITLE = 'model + test inference';

export async function checkModel({ config }: DoctorContext, frame: Frame | null): Promise<CheckResult> {
  const det = config.detection;
  const base = (det.mode === 'model' && det.manifest && path.resolve(det.manifest)) || shippedManifestPath();
  const store = new ModelStore(path.join(config.dataDir, 'models'), base);
  const { current } = await store.readActive();
  const manifestPath = store.manifestPath(current);
  let detector: Detector | null = null;
  try {
    const model = await loadModel(manifestPath);
    detector = await Detector.load(model.bytes, model.manifest, { threads: det.threads, timeoutMs: det.inferenceTimeoutMs });
    const image = frame?.image ?? (await shippedPhoto());
    const result = await detector.detect(image);
    const ms = Math.round(result.timings.totalMs);
    const name = `${model.manifest.name} ${model.manifest.version}${current === 'base' ? '' : ` (downloaded: ${current})`}`;
    const detail = `${name} loaded in ${Math.round(detector.loadMs)} ms; inference on ${frame ? 'the camera frame' : 'a shipped photo'} ${ms} ms, ${result.detections.length} detection(s)`;
    return { ...ok(ID, TITLE, detail, ms), data: { loadMs: Math.round(detector.loadMs), inferenceMs: ms, detections: result.detections.length } };
  } catch (err) {
    const fix =
      current === 'base'
        ? `check ${manifestPath} and the .onnx beside it (detection.manifest; remove it to use the shipped model)`
        : `the downloaded model ${current} does not run: roll it back from the maintenance screen, or delete ${path.join(config.dataDir, 'models', 'active.json')} to use the configured model`;
    return fail(ID, TITLE, `${path.basename(manifestPath)}: ${errorText(err)}`, fix);
  } finally {
    await detector?.close();
  }
}

async function shippedPhoto(): Promise<Buffer> {
  const dir = shippedCameraDir();
  const first = (await readdir(dir)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()[0];
  if (!first) throw new Error(`no sample image in ${dir}`);
  return readFile(path.join(dir, first));
}
