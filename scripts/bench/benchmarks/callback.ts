import type { Benchmark } from '../bench-types.js';
export const callbackBenchmark: Benchmark = { id: 'callback', title: 'callback', run: async () => [] };
