/** System commands: UI hello, language, ping. */
import type { KioskContext } from './context.js';

export const CORE_VERSION = '0.1.0';

export function setupSystem({ core, config }: KioskContext): void {
  let language = config.language;
  core.emit('system.language', { language });
  core.handle('system.hello', () => ({ coreVersion: CORE_VERSION, language }));
  core.handle('system.setLanguage', (request) => {
    language = request.language;
    core.emit('system.language', { language });
    return { language };
  });
  core.handle('system.ping', () => ({ at: Date.now() }));
}
