import { useT } from '../../i18n/strings.js';
import { AlertsPanel } from './AlertsPanel.js';
import { AuditPanel } from './AuditPanel.js';
import { BackupPanel } from './BackupPanel.js';
import { ChartsPanel } from './ChartsPanel.js';
import { ExportPanel } from './ExportPanel.js';
import { MachinePanel } from './MachinePanel.js';
import { SummaryPanel } from './SummaryPanel.js';
import { TimezoneSyncPanel } from './TimezoneSyncPanel.js';
import './dashboard.css';

export const TABS = ['overview', 'alerts', 'charts', 'today', 'audit', 'machine', 'backup'] as const;
export type TabId = (typeof TABS)[number];

/**
 * The monitoring dashboard is split into tabs rather than added to the panel columns: a 1024×600 screen has no
 * room for charts and logs beside the part panels, and only the shown tab asks the core for data.
 */
export function DashboardTabs({ tab, onChange }: { tab: TabId; onChange: (tab: TabId) => void }) {
  const t = useT();
  return (
    <nav className="dash-tabs" role="tablist" data-testid="maintenance-tabs">
      {TABS.map((id) => (
        <button key={id} role="tab" aria-selected={id === tab} className={`button small${id === tab ? ' active' : ''}`} data-testid={`tab-${id}`} onClick={() => onChange(id)}>
          {t(`maintenance.tab.${id}`)}
        </button>
      ))}
    </nav>
  );
}

export function TabContent({ tab }: { tab: Exclude<TabId, 'overview'> }) {
  return (
    <div className="dash-area" data-testid={`tab-content-${tab}`}>
      {tab === 'alerts' ? <AlertsPanel /> : null}
      {tab === 'charts' ? <ChartsPanel /> : null}
      {tab === 'today' ? (
        <>
          <SummaryPanel />
          <ExportPanel />
        </>
      ) : null}
      {tab === 'audit' ? <AuditPanel /> : null}
      {tab === 'machine' ? (
        <>
          <MachinePanel />
          {/* Beside the machine's other settings: the overview has no room for the sync figures. */}
          <TimezoneSyncPanel />
        </>
      ) : null}
      {tab === 'backup' ? <BackupPanel /> : null}
    </div>
  );
}
