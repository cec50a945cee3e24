import { useEffect, useState } from 'react';
import type { ReplyOf } from '../../../../src/contract/index.js';
import { callCore } from '../../client/client-ref.js';
import { useT } from '../../i18n/strings.js';
import { useKiosk } from '../../store/store.js';

type Ports = ReplyOf<'setup.serialPorts'>['ports'];
type Ping = ReplyOf<'setup.pingSerial'>['ping'] | 'pinging';

/**
 * The controller's port: stable /dev/serial/by-id names first (the core orders them). Tapping a port pings the
 * controller through it, so the installer picks the one that answers rather than guessing from a name.
 */
export function SerialStep() {
  const t = useT();
  const chosen = useKiosk((s) => s.setup?.serial ?? null);
  const [ports, setPorts] = useState<Ports | null>(null);
  const [picked, setPicked] = useState<string | null>(chosen?.path ?? null);
  const [ping, setPing] = useState<Ping>(chosen?.ping ?? 'untested');

  const load = async () => setPorts((await callCore('setup.serialPorts', {}))?.ports ?? []);
  useEffect(() => void load(), []);

  const pick = async (path: string) => {
    setPicked(path);
    setPing('pinging');
    const reply = await callCore('setup.pingSerial', { path });
    setPing(reply?.ping ?? 'no_answer');
  };

  return (
    <div className="setup-step" data-testid="setup-serial">
      <div className="setup-list" data-testid="setup-serial-ports">
        {ports === null ? <div className="setup-line">{t('setup.searching')}</div> : null}
        {ports !== null && ports.length === 0 ? <div className="setup-line">{t('setup.serial.none')}</div> : null}
        {(ports ?? []).map((port) => (
          <button
            key={port.path}
            className={port.path === picked ? 'button setup-choice active' : 'button setup-choice'}
            data-testid="setup-serial-port"
            data-path={port.path}
            onClick={() => void pick(port.path)}
          >
            {port.path.split('/').pop()}
            {port.byId ? ` · ${t('setup.serial.byId')}` : ''}
          </button>
        ))}
      </div>
      {picked ? (
        <div
          className={ping === 'ok' ? 'setup-result setup-good' : ping === 'untested' || ping === 'pinging' ? 'setup-result' : 'setup-result setup-bad'}
          data-testid="setup-serial-ping"
          data-ping={ping}
          role="status"
        >
          {t(`setup.serial.ping.${ping}`, { path: picked })}
        </div>
      ) : null}
      <div className="row">
        <button className="button" data-testid="setup-serial-refresh" onClick={() => void load()}>
          {t('setup.refresh')}
        </button>
        {picked ? (
          <button className="button" data-testid="setup-serial-ping-again" disabled={ping === 'pinging'} onClick={() => void pick(picked)}>
            {t('setup.serial.pingAgain')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
