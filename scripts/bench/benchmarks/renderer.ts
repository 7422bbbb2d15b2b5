import type { Benchmark } from '../bench-types.js';
export const rendererBenchmark: Benchmark = { id: 'renderer', title: 'renderer', run: async () => [] };
