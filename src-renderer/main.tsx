import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createMaestroStore } from './app/maestro-store.js';
import { getMaestroApi } from './maestro-api.js';
import './styles.css';

const root = document.getElementById('root');
const api = getMaestroApi();
// Before React mounts: the first render's data is asked for now, not from an effect after the first paint.
const store = api !== null ? createMaestroStore(api) : null;
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      {store !== null ? (
        <App store={store} />
      ) : (
        <p className="message message-error" role="alert">
          The Maestro cannot reach its main process. Restart the app.
        </p>
      )}
    </StrictMode>,
  );
}
