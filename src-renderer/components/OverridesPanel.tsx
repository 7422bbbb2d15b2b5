import { useId } from 'react';
import type { EndpointOverrideView } from '../../src-shared/view-models.js';

/** Every endpoint override in effect, with where it was set: each sends credentials to a server other than the provider's own. */
export function OverridesPanel({ overrides }: { readonly overrides: readonly EndpointOverrideView[] }) {
  const id = useId();
  if (overrides.length === 0) return null;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>Overridden endpoints</h2>
      <p>
        These settings send credentials to servers other than the providers&rsquo; own. Remove them unless you set them
        on purpose.
      </p>
      <ul>
        {overrides.map((item) => (
          <li key={`${item.provider ?? '*'}:${item.setting}`}>
            {item.provider !== null ? `${item.provider} ${item.setting}: ` : `${item.setting}: `}
            <code>{item.value}</code> (set by <code>{item.source}</code>)
          </li>
        ))}
      </ul>
    </section>
  );
}
