import type { StorageProtectionView } from '../../src-shared/view-models.js';

/** What protects stored credentials here, said plainly; prominent when it is weak or memory-only. */
export function StorageNotice({
  storage,
  compact,
}: {
  readonly storage: StorageProtectionView;
  readonly compact: boolean;
}) {
  const weak = !storage.persistent || storage.level === 'weak' || storage.level === 'memory_only';
  if (compact && !weak && storage.warnings.length === 0) return null;
  return (
    <div className={weak ? 'notice notice-warning' : 'notice'} role={compact ? 'note' : undefined}>
      <p>
        <strong>
          {storage.persistent ? 'Credentials are stored encrypted.' : 'Credentials are kept in memory only.'}
        </strong>{' '}
        {storage.description}
        {!storage.persistent ? ' You will need to sign in again after The Maestro restarts.' : ''}
      </p>
      {storage.warnings.length > 0 ? (
        <ul>
          {storage.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
