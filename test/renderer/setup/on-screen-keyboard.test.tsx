/** Typed credentials: the on-screen keyboard fills the chosen field, masks the key, and the import sends all three. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SetupScreen } from '../../../renderer/src/screens/SetupScreen.js';
import { mount, resetStore, settle, tap, type Mounted } from '../maintenance/harness.js';
import { fakeSetupCore } from './fake-setup-core.js';

async function type(view: Mounted, text: string): Promise<void> {
  let shift = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch !== lower;
    if (upper !== shift) {
      await tap(view.byTestId('osk-shift'));
      shift = upper;
    }
    await tap(view.byTestId(`osk-${lower}`));
  }
  if (shift) await tap(view.byTestId('osk-shift'));
}

const value = (view: Mounted, field: string) => view.byTestId(`setup-field-${field}`)?.querySelector('.setup-field-value')?.textContent;

describe('on-screen keyboard for typed credentials', () => {
  let view: Mounted | null = null;
  beforeEach(() => resetStore());
  afterEach(() => {
    view?.unmount();
    view = null;
  });

  it('types the URL, serial number (with shift) and key, and imports them', async () => {
    const core = fakeSetupCore();
    view = await mount(<SetupScreen />);
    await settle();
    await tap(view.byTestId('setup-type-instead'));
    expect((view.byTestId('setup-credentials-save') as HTMLButtonElement).disabled).toBe(true);

    await tap(view.byTestId('osk-https'));
    await type(view, 'rvm.example.id');
    expect(value(view, 'serverUrl')).toBe('https://rvm.example.id');

    await tap(view.byTestId('setup-field-serialNumber'));
    await type(view, 'RVM-0042x');
    await tap(view.byTestId('osk-backspace'));
    expect(value(view, 'serialNumber')).toBe('RVM-0042');

    await tap(view.byTestId('setup-field-apiKey'));
    await type(view, 'abcdef1234567890wxyz');
    expect(value(view, 'apiKey')).toBe('••••••••••••wxyz');

    await tap(view.byTestId('setup-credentials-save'));
    expect(core.callsOf('setup.importCredentials')).toEqual([
      { serverUrl: 'https://rvm.example.id', serialNumber: 'RVM-0042', apiKey: 'abcdef1234567890wxyz' },
    ]);
    expect(view.text('setup-credentials-status')).toBe('Kredensial tersimpan untuk mesin RVM-0042.');
  });

  it('says why typed credentials were refused', async () => {
    fakeSetupCore({ 'setup.importCredentials': () => ({ ok: false, serialNumber: null, error: 'invalid' }) });
    view = await mount(<SetupScreen />);
    await settle();
    await tap(view.byTestId('setup-type-instead'));
    for (const field of ['serverUrl', 'serialNumber', 'apiKey']) {
      await tap(view.byTestId(`setup-field-${field}`));
      await type(view, 'x1');
    }
    await tap(view.byTestId('setup-credentials-save'));
    expect(view.text('setup-credentials-error')).toBe('Isinya bukan kredensial yang sah. Periksa alamat, nomor seri dan kunci.');
  });
});
