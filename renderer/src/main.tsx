import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { setClient } from './client/client-ref.js';
import { createClient } from './client/create-client.js';
import { WsKioskClient } from './client/ws-client.js';
import { bindClient } from './store/bind-client.js';
import { kioskStore } from './store/store.js';
import './styles.css';

const { client, transport } = createClient();
setClient(client);
kioskStore.getState().setTransport(transport);
if (client instanceof WsKioskClient) client.onConnection((up) => kioskStore.getState().setConnected(up));
else kioskStore.getState().setConnected(true);
bindClient(client, kioskStore);

// Kiosk: no context menu, no pinch zoom, no accidental text drag.
window.addEventListener('contextmenu', (e) => e.preventDefault());
window.addEventListener('wheel', (e) => e.ctrlKey && e.preventDefault(), { passive: false });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
