import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { getMaestroApi } from './maestro-api.js';
import './styles.css';

const root = document.getElementById('root');
const api = getMaestroApi();
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      {api !== null ? (
        <App api={api} />
      ) : (
        <p className="message message-error" role="alert">
          The Maestro cannot reach its main process. Restart the app.
        </p>
      )}
    </StrictMode>,
  );
}
