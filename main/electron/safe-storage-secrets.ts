/**
 * The Electron host's SecretStore (src/storage/secret-store.ts): the kiosk's own secrets (the imported API key,
 * the installer PIN's hash) sealed with Electron's safeStorage inside a 0600 file. safeStorage works only once
 * the app is ready, and only where Chromium found a key store; otherwise the 0600 file stays the protection.
 *
 * On Linux the key comes from the password store Chromium picked. A kiosk logs in automatically, so a desktop
 * keyring would be locked and would ask for its password on the kiosk's screen: the kiosk uses the basic store
 * unless the command line names another (deploy/rvm-kiosk.service passes --password-store=basic as well). The
 * basic store's key is a constant inside Chromium, so sealing with it is obfuscation, not encryption: it keeps
 * the key out of grep and out of a casually copied folder, and the file's 0600 mode is what protects it. Every
 * process (the kiosk and `rvm-kiosk doctor`/`import-credentials` from a shell) picks the same store this way,
 * so what one seals the other opens.
 */
import { app, safeStorage, type CommandLine } from 'electron';
import { createLogger } from '../../src/log/logger.js';
import { envelopeText, fileSecrets, sealedEnvelope, SecretStoreError, type SecretStore } from '../../src/storage/secret-store.js';

const log = createLogger('electron.secrets');

/** Before app ready (Chromium reads the switch when it sets up its key store). */
export function choosePasswordStore(commandLine: Pick<CommandLine, 'hasSwitch' | 'appendSwitch'> = app.commandLine): void {
  if (process.platform === 'linux' && !commandLine.hasSwitch('password-store')) commandLine.appendSwitch('password-store', 'basic');
}

/** The safeStorage-backed store, or null when safeStorage cannot encrypt here (not ready, no key store). */
export function safeStorageSecrets(): SecretStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  return {
    protection: () => ({ kind: 'safe-storage', backend, encrypted: backend !== 'basic_text' }),
    // The sync calls: the core reads credentials synchronously at start (src/server/credentials.ts).
    seal: (plain) => envelopeText(backend, safeStorage.encryptString(plain)),
    open(fileText, file) {
      const sealed = sealedEnvelope(fileText);
      if (!sealed) return fileText; // written by the Node host or before sealing: read as it is
      try {
        return safeStorage.decryptString(Buffer.from(sealed.data, 'base64'));
      } catch (err) {
        const other = sealed.backend && sealed.backend !== backend ? `; it was sealed with the ${sealed.backend} store and this process uses ${backend ?? 'another'}: start it with the same --password-store` : '';
        throw new SecretStoreError(`${file} cannot be opened by safeStorage (${err instanceof Error ? err.message : String(err)})${other}; or import the credentials again`);
      }
    },
  };
}

/**
 * The store for this process: safeStorage once the app is ready, else the 0600 files. The one-shot CLI waits
 * at most `readyWithinMs` for ready (without a display Electron may never get there) before settling for files.
 */
export async function hostSecrets(readyWithinMs = 5_000): Promise<SecretStore> {
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    app.whenReady().then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), readyWithinMs);
    }),
  ]).finally(() => clearTimeout(timer));
  const sealed = ready ? safeStorageSecrets() : null;
  if (sealed) log.info('secrets are sealed with safeStorage', { ...sealed.protection() });
  else log.warn('safeStorage is not available: secrets stay in 0600 files', { appReady: ready });
  return sealed ?? fileSecrets;
}
