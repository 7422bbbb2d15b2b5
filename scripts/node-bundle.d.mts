import type { BuildOptions } from 'esbuild';
/** Types of scripts/node-bundle.mjs. */
export declare const NODE_BUNDLE_OPTIONS: BuildOptions;
