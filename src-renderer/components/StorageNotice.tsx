import { useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { StatusView } from '../../src-shared/view-models.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';

/**
 * What happened to the stored data (a damaged database moved aside), until the person says they
 * have read it: the acknowledgement is the same one `the-maestro status --acknowledge` makes, so
 * the command line stops repeating it too.
 */
function StorageNotices({ notices }: { readonly notices: readonly string[] }) {
  const { api, setStatus } = useMaestro();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const acknowledge = async (): Promise<void> => {
    const reply = await api.storage.acknowledgeNotices({});
    if (reply.ok) setStatus(reply.value);
    setError(reply.ok ? null : reply.error);
  };
  return (
    <div className="notice notice-warning" role="alert" aria-label="Storage notice">
      {notices.map((notice) => (
        <p key={notice}>{notice}</p>
      ))}
      {error !== null ? <ErrorMessage error={error} /> : null}
      <button type="button" onClick={() => void acknowledge()}>
        I have read this
      </button>
    </div>
  );
}

/**
 * What protects stored credentials here, said once. `compact` (the top of the window, every tab):
 * only when there is something to know — weak or memory-only protection, a standing warning, a
 * notice to acknowledge. The full form (Settings) describes the protection alone, since the top of
 * the window already shows the warnings.
 */
export function StorageNotice({ status, compact }: { readonly status: StatusView; readonly compact: boolean }) {
  const { storage, storageNotices } = status;
  const weak = !storage.persistent || storage.level === 'weak' || storage.level === 'memory_only';
  const standing = storage.warnings.filter((warning) => !storageNotices.includes(warning));
  if (!compact) return <p className={weak ? 'notice notice-warning' : 'notice'}>{storage.description}</p>;
  return (
    <>
      {storageNotices.length > 0 ? <StorageNotices notices={storageNotices} /> : null}
      {weak || standing.length > 0 ? (
        <div className={weak ? 'notice notice-warning' : 'notice'} role="note">
          {weak ? <p>{storage.description}</p> : null}
          {standing.length > 0 ? (
            <ul>
              {standing.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
