import { useRef, useState } from 'react';
import { callCore } from '../client/client-ref.js';
import { ClockStatusPanel } from './maintenance/ClockStatusPanel.js';
import { DetectionPanel } from './maintenance/DetectionPanel.js';
import { HardwarePanel } from './maintenance/HardwarePanel.js';
import { MaintenanceHeader } from './maintenance/MaintenanceHeader.js';
import { OutboxPanel } from './maintenance/OutboxPanel.js';
import { ServerPanel } from './maintenance/ServerPanel.js';
import { StatusPanel } from './maintenance/StatusPanel.js';
import { DashboardTabs, TabContent, type TabId } from './maintenance/DashboardTabs.js';

/**
 * Taps postpone the core's inactivity exit. One `maintenance.touch` per 20 s is plenty against an exit
 * minutes away, and spares the core a command per tap while a technician works through the panels.
 */
export const TOUCH_THROTTLE_MS = 20_000;

/** Technician mode: one panel per part of the machine, each with its own tests and tools. */
export function MaintenanceScreen() {
  const lastTouch = useRef<number | null>(null);
  const [tab, setTab] = useState<TabId>('overview');
  const onActivity = () => {
    const now = Date.now();
    if (lastTouch.current !== null && now - lastTouch.current < TOUCH_THROTTLE_MS) return;
    lastTouch.current = now;
    void callCore('maintenance.touch', {});
  };

  return (
    <main className="screen maintenance" data-testid="maintenance-screen" onPointerDownCapture={onActivity}>
      <MaintenanceHeader />
      <DashboardTabs tab={tab} onChange={setTab} />
      {/* Three fixed columns balanced by height so 1280×800 shows every panel without scrolling; they wrap on narrow screens. */}
      {tab === 'overview' ? (
        <div className="panel-columns" data-testid="maintenance-panels">
          <div className="panel-column">
            <StatusPanel />
            <OutboxPanel />
          </div>
          <div className="panel-column">
            <ServerPanel />
            <DetectionPanel />
          </div>
          <div className="panel-column">
            <HardwarePanel />
            <ClockStatusPanel />
          </div>
        </div>
      ) : (
        <TabContent tab={tab} />
      )}
    </main>
  );
}
