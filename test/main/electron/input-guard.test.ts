import { describe, expect, it, vi } from 'vitest';
import { FakeWebContents } from '../../helpers/electron-mock.js';

const fake = await vi.hoisted(async () => (await import('../../helpers/electron-mock.js')).createElectronFake());
vi.mock('electron', () => fake.module);

const { guardInput, isBlockedInput } = await import('../../../main/electron/input-guard.js');

const key = (k: string, mods: { control?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}) => ({
  key: k,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

describe('isBlockedInput', () => {
  it.each([
    ['F5 (reload)', key('F5')],
    ['Ctrl+R (reload)', key('r', { control: true })],
    ['Ctrl+Shift+R (hard reload)', key('R', { control: true, shift: true })],
    ['Cmd+R', key('r', { meta: true })],
    ['F12 (devtools)', key('F12')],
    ['Ctrl+Shift+I (devtools)', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+C (inspector)', key('C', { control: true, shift: true })],
    ['Ctrl++ (zoom in)', key('+', { control: true })],
    ['Ctrl+= (zoom in)', key('=', { control: true })],
    ['Ctrl+- (zoom out)', key('-', { control: true })],
    ['Ctrl+0 (zoom reset)', key('0', { control: true })],
    ['Ctrl+W (close)', key('w', { control: true })],
    ['Ctrl+P (print)', key('p', { control: true })],
    ['Alt+Left (back)', key('ArrowLeft', { alt: true })],
    ['the browser back key', key('BrowserBack')],
  ])('blocks %s', (_label, input) => {
    expect(isBlockedInput(input)).toBe(true);
  });

  it.each([
    ['a digit for the PIN pad', key('5')],
    ['a letter', key('r')],
    ['Enter', key('Enter')],
    ['Backspace', key('Backspace')],
    ['Ctrl+C (copy)', key('c', { control: true })],
    ['Ctrl+V (paste)', key('v', { control: true })],
    ['Left arrow', key('ArrowLeft')],
  ])('lets %s through', (_label, input) => {
    expect(isBlockedInput(input)).toBe(false);
  });
});

describe('guardInput', () => {
  it('cancels blocked keys, passes others, and pins the zoom', () => {
    const contents = new FakeWebContents();
    guardInput(contents as never);
    const blocked = { preventDefault: vi.fn() };
    const allowed = { preventDefault: vi.fn() };
    contents.emit('before-input-event', blocked, { ...key('r', { control: true }), type: 'keyDown' });
    contents.emit('before-input-event', allowed, { ...key('7'), type: 'keyDown' });
    expect(blocked.preventDefault).toHaveBeenCalled();
    expect(allowed.preventDefault).not.toHaveBeenCalled();

    expect(contents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
    contents.emit('zoom-changed', {}, 'in');
    expect(contents.setZoomFactor).toHaveBeenCalledWith(1);
  });
});
