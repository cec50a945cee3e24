import { useState } from 'react';
import { ErrorToast } from './components/ErrorToast.js';
import { ServerNoticeToast } from './components/ServerNoticeToast.js';
import { TechnicianCorner } from './components/TechnicianCorner.js';
import { AttractScreen } from './screens/AttractScreen.js';
import { FinishedScreen } from './screens/FinishedScreen.js';
import { LoginScreen } from './screens/LoginScreen.js';
import { PinScreen } from './screens/PinScreen.js';
import { SessionScreen } from './screens/SessionScreen.js';
import { MaintenanceScreen } from './screens/MaintenanceScreen.js';
import { OutOfServiceScreen } from './screens/OutOfServiceScreen.js';
import { SetupScreen } from './screens/SetupScreen.js';
import { useKiosk } from './store/store.js';

/** Which screen shows is derived from core state; only the PIN pad is local UI state. */
export function App() {
  return (
    <>
      <CurrentScreen />
      <ErrorToast />
      <ServerNoticeToast />
    </>
  );
}

function CurrentScreen() {
  const phase = useKiosk((s) => s.session.phase);
  const machineState = useKiosk((s) => s.status?.state);
  const [pinOpen, setPinOpen] = useState(false);
  const setupNeeded = useKiosk((s) => s.setup?.needed === true);

  if (setupNeeded) return <SetupScreen />;
  if (machineState === 'maintenance') return <MaintenanceScreen />;
  if (pinOpen) return <PinScreen onClose={() => setPinOpen(false)} />;
  switch (phase) {
    case 'waiting_login':
      return <LoginScreen />;
    case 'active':
    case 'processing':
      return <SessionScreen />;
    case 'finished':
      return <FinishedScreen />;
    default:
      // No session: the recycler's idle screen, with the technician's hidden corner on top of it (a long
      // press there opens the PIN pad; there is no visible way in for a passer-by).
      return (
        <>
          {machineState === 'out_of_service' ? <OutOfServiceScreen /> : <AttractScreen />}
          <TechnicianCorner onOpen={() => setPinOpen(true)} />
        </>
      );
  }
}
