import { useId, useState } from 'react';
import type { StatusView } from '../../src-shared/view-models.js';
import { stateLabel } from '../app/format.js';
import { ModelPicker } from './ModelPicker.js';

/** Model selection for one provider at a time, the active provider first. */
export function ModelsTab({ status }: { readonly status: StatusView }) {
  const id = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const providerId =
    chosen ??
    status.activeProvider ??
    status.providers.find((provider) => provider.source !== null)?.id ??
    status.providers[0]?.id;
  const provider = status.providers.find((entry) => entry.id === providerId);
  return (
    <div className="models-tab">
      <div className="field inline">
        <label htmlFor={`${id}-provider`}>Provider</label>
        <select id={`${id}-provider`} value={providerId} onChange={(event) => setChosen(event.target.value)}>
          {status.providers.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.displayName} ({stateLabel(entry.state)})
            </option>
          ))}
        </select>
      </div>
      {provider !== undefined ? <ModelPicker key={provider.id} provider={provider} /> : null}
    </div>
  );
}
