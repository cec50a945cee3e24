import { useEffect, useRef, useState } from 'react';
import { locales, useT } from '../i18n/strings.js';
import { useKiosk } from '../store/store.js';
import { formatClock, monotonicDisplay } from '../time/format.js';

/** Large local clock in the machine's time zone, e.g. "14:05:09 WIB · Asia/Jakarta". */
export function ClockPanel() {
  const clock = useKiosk((s) => s.clock);
  const language = useKiosk((s) => s.language);
  const t = useT();
  const shown = useRef(0);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    // Tick on the second boundary so the seconds digit changes when real seconds do.
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now());
      timer = setTimeout(tick, 1000 - ((Date.now() + clock.offsetMs) % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [clock.offsetMs]);

  shown.current = monotonicDisplay(shown.current, now, clock.offsetMs);
  const text = formatClock(shown.current, clock.timezone, locales[language]);
  return (
    <section className="clock" aria-label="clock">
      <div className="clock-time" data-testid="clock-time">{text.time}</div>
      <div className="clock-date" data-testid="clock-date">{text.date}</div>
      <div className="clock-zone" data-testid="clock-zone">
        {clock.timezone} ({clock.abbreviation}) · {clock.synced ? t('clock.synced') : t('clock.unsynced')}
        {clock.driftAlarm ? ` · ${t('clock.drift')}` : ''}
      </div>
    </section>
  );
}
