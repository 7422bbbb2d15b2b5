import { useCallback, useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ModelListView, ProviderStatusView } from '../../src-shared/view-models.js';
import { formatAge, formatContextWindow } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { useNow } from '../app/use-now.js';
import { ErrorMessage, Spinner } from './Feedback.js';
import { ModelTest } from './ModelTest.js';
import { PlanUsage } from './PlanUsage.js';

function matches(model: { readonly id: string; readonly displayName: string }, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return (
    needle.length === 0 || model.id.toLowerCase().includes(needle) || model.displayName.toLowerCase().includes(needle)
  );
}

/**
 * A provider's models (display name, context window): filter as you type, arrow keys move,
 * Enter selects (the listbox pattern, with the filter field owning focus), selection persisted by
 * main. A list served from cache is marked stale; refresh asks the provider again.
 */
export function ModelPicker({ provider }: { readonly provider: ProviderStatusView }) {
  const { api, updateProvider } = useMaestro();
  const id = useId();
  const [list, setList] = useState<ModelListView | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [filter, setFilter] = useState('');
  // Null: the highlighted row (the list's focus) is the selected model's, so the ring and the check mark agree.
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const now = useNow(list !== null, 30_000);

  const load = useCallback(
    async (refresh: boolean) => {
      setLoading(true);
      const reply = await api.models.list({ provider: provider.id, ...(refresh ? { refresh: true } : {}) });
      setLoading(false);
      if (reply.ok) {
        setList(reply.value);
        setError(null);
      } else {
        setError(reply.error);
      }
    },
    [api, provider.id],
  );
  useEffect(() => {
    setList(null);
    setActiveIndex(null);
    void load(false);
  }, [load]);

  const visible = useMemo(() => (list?.models ?? []).filter((model) => matches(model, filter)), [list, filter]);
  const selected = provider.selectedModel ?? list?.selectedModel ?? null;
  const selectedIndex = visible.findIndex((model) => model.id === selected);
  const clamped = Math.min(activeIndex ?? Math.max(selectedIndex, 0), Math.max(visible.length - 1, 0));

  const select = async (model: string): Promise<void> => {
    const reply = await api.models.select({ provider: provider.id, model });
    if (reply.ok) updateProvider(reply.value);
    else setError(reply.error);
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    const last = visible.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: clamped + 1,
      ArrowUp: clamped - 1,
      Home: 0,
      End: last,
      PageDown: clamped + 8,
      PageUp: clamped - 8,
    };
    const target = moves[event.key];
    if (target !== undefined && last >= 0) {
      event.preventDefault();
      const next = Math.max(0, Math.min(last, target));
      setActiveIndex(next);
      document.getElementById(`${id}-option-${next}`)?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter' && visible[clamped] !== undefined) {
      event.preventDefault();
      void select(visible[clamped].id);
    }
  };

  return (
    <section className="model-picker" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`}>{provider.displayName} models</h2>
        <button type="button" onClick={() => void load(true)} disabled={loading}>
          Refresh
        </button>
      </div>
      {provider.planSignIn !== undefined ? <PlanUsage plan={provider.planSignIn} /> : null}
      <ModelTest provider={provider} />
      <div className="list-meta" aria-live="polite">
        {loading ? <Spinner label="Loading models…" /> : null}
        {!loading && list !== null ? (
          <span>
            {list.models.length} models, updated {formatAge(list.fetchedAt, now)}
            {list.stale ? (
              <span className="badge badge-stale">Stale: cached list, {provider.displayName} could not be reached</span>
            ) : null}
          </span>
        ) : null}
      </div>
      {error !== null ? <ErrorMessage error={error} announce /> : null}
      {list?.error && list.stale ? <ErrorMessage error={list.error} /> : null}
      <label htmlFor={`${id}-filter`}>Filter models</label>
      <input
        id={`${id}-filter`}
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={visible.length > 0 ? `${id}-option-${clamped}` : undefined}
        value={filter}
        onChange={(event) => {
          setFilter(event.target.value);
          setActiveIndex(null);
        }}
        onKeyDown={onKeyDown}
        placeholder="Type to filter, ↑ ↓ to move, Enter to choose"
        autoComplete="off"
        spellCheck={false}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={`${provider.displayName} models`} className="model-list">
        {visible.map((model, index) => {
          const context = formatContextWindow(model.contextWindow);
          return (
            <li
              key={model.id}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={model.id === selected}
              className={index === clamped ? 'option active' : 'option'}
              onClick={() => {
                setActiveIndex(index);
                void select(model.id);
              }}
            >
              <span className="option-check" aria-hidden="true">
                {model.id === selected ? '✓' : ''}
              </span>
              <span className="option-name">{model.displayName}</span>
              <span className="option-id mono">{model.id}</span>
              <span className="option-context">{context !== null ? `${context} context` : ''}</span>
            </li>
          );
        })}
      </ul>
      {!loading && list !== null && visible.length === 0 ? (
        <p className="empty">{list.models.length === 0 ? 'No models listed.' : `No model matches “${filter}”.`}</p>
      ) : null}
    </section>
  );
}
