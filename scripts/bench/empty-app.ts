/**
 * The app of the renderer benchmark's baseline page: "an empty page with the same bundle setup".
 * The bench's `empty` build (renderer-build.ts) uses it in place of src-renderer/main.tsx, in the
 * same Vite build as the real page (same config and plugins, same web.html and web shim, same
 * chunking and preloads), so the baseline pays for everything the real page's setup pays for —
 * the shim and its contract, React and ReactDOM, the stylesheet, a root rendered by React — and
 * nothing the provider list needs: no request for data, no app components.
 * It is never part of the product's build.
 */
import { StrictMode } from 'react';
import { jsx } from 'react/jsx-runtime';
import { createRoot } from 'react-dom/client';
import '../../src-renderer/styles.css';

const root = document.getElementById('root');
// `data-bench-ready` is what the benchmark's probe waits for, as it waits for the cards on the real page.
if (root !== null) createRoot(root).render(jsx(StrictMode, { children: jsx('main', { 'data-bench-ready': '' }) }));
