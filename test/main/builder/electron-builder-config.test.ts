/**
 * electron-builder.yml checked offline against the schema electron-builder itself ships
 * (app-builder-lib/scheme.json, JSON Schema draft-07), parsed with the YAML reader electron-builder uses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

type Config = Record<string, any>;
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as Record<string, unknown>;
const config = yaml.load(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as Config;
// The schema uses a few non-standard keywords (e.g. "tsType"); strict mode would refuse those, not our file.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const errorsOf = (candidate: unknown) => (validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
const clone = (): Config => structuredClone(config);

describe('electron-builder.yml', () => {
  it('is draft-07', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('is valid against app-builder-lib’s schema', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it.each<[string, (c: Config) => void]>([
    ['an unknown top-level key', (c) => void (c.npmRebiuld = false)],
    ['a boolean given as a string', (c) => void (c.npmRebuild = 'no')],
    ['an AppImage toolset that does not exist', (c) => void (c.toolsets.appimage = '9.9.9')],
    ['a misspelt fuse', (c) => void (c.electronFuses.runAsNodee = false)],
    ['a fuse given as a string', (c) => void (c.electronFuses.runAsNode = 'false')],
    ['asarUnpack as a number', (c) => void (c.asarUnpack = 3)],
  ])('rejects a copy with %s', (_label, breakIt) => {
    const broken = clone();
    breakIt(broken);
    expect(errorsOf(broken).length).toBeGreaterThan(0);
  });

  it('keeps the packaging rules the Jetson depends on', () => {
    expect(config).toMatchObject({
      npmRebuild: false,
      buildDependenciesFromSource: false,
      toolsets: { appimage: '1.0.3' },
      electronFuses: {
        runAsNode: false,
        enableCookieEncryption: true,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      },
      linux: { target: [{ target: 'AppImage', arch: ['arm64', 'x64'] }] },
    });
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', '**/node_modules/onnxruntime-node/bin/**']));
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'assets/**']));
  });
});
