/**
 * Every code the core can send a screen has words in both languages: a recycler never sees a raw code or
 * the core's English. New codes fail here until assets/i18n/<language>/codes.json has them.
 */
import { describe, expect, it } from 'vitest';
import { refusalCodes, refusalMessage, refusalOf } from '../../src/contract/errors.js';
import { ItemOutcome } from '../../src/contract/outcomes.js';
import { tables } from '../../renderer/src/i18n/tables.js';

const languages = ['id', 'en'] as const;

function missing(prefix: string, codes: readonly string[]): string[] {
  return languages.flatMap((language) => codes.filter((code) => !(`${prefix}.${code}` in tables[language])).map((code) => `${language}: ${prefix}.${code}`));
}

describe('codes the core sends', () => {
  it('has a translation for every command refusal in both languages', () => {
    expect(missing('error', refusalCodes)).toEqual([]);
  });

  it('has a translation for every item outcome in both languages', () => {
    expect(missing('outcome', ItemOutcome.options)).toEqual([]);
  });

  it('says the Indonesian and English refusals differently (no English left in the Indonesian table)', () => {
    const same = refusalCodes.filter((code) => tables.id[`error.${code}`] === tables.en[`error.${code}`]);
    expect(same).toEqual([]);
  });
});

describe('a refusal crossing the bridge', () => {
  it('keeps its code and detail through an Error message', () => {
    const err = new Error(refusalMessage({ reason: 'intake_busy', message: 'cannot insert: an item is already in the intake' }));
    expect(refusalOf(err)).toEqual({ reason: 'intake_busy', detail: 'cannot insert: an item is already in the intake' });
  });

  it('turns anything else into `failed`, keeping the text as detail for the log', () => {
    expect(refusalOf(new Error('socket closed'))).toEqual({ reason: 'failed', detail: 'socket closed' });
    expect(refusalOf(new Error('[made_up] x'))).toEqual({ reason: 'failed', detail: '[made_up] x' });
    expect(refusalOf('plain')).toEqual({ reason: 'failed', detail: 'plain' });
  });
});
