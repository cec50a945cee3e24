import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { zonePlace } from '../../src/clock/zone-place.js';

it('names the country and city of Indonesian zones from its own table', () => {
  expect(zonePlace('Asia/Jakarta')).toEqual({ country: 'Indonesia', city: 'Jakarta' });
  expect(zonePlace('Asia/Ujung_Pandang')).toEqual({ country: 'Indonesia', city: 'Makassar' });
  expect(zonePlace('Asia/Jayapura')).toEqual({ country: 'Indonesia', city: 'Jayapura' });
});

it('takes other countries from zone.tab and the city from the zone name; unknown parts are null', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zonetab-'));
  const tab = path.join(dir, 'zone.tab');
  writeFileSync(tab, '# comment\nMY\t+0310+10142\tAsia/Kuala_Lumpur\tMalaysia (peninsula)\n');
  expect(zonePlace('Asia/Kuala_Lumpur', tab)).toEqual({ country: 'Malaysia', city: 'Kuala Lumpur' });
  expect(zonePlace('UTC', tab)).toEqual({ country: null, city: null });
});
