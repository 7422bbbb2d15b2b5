import type { Benchmark } from '../bench-types.js';
export const refreshStormBenchmark: Benchmark = { id: 'refresh-storm', title: 'refresh-storm', run: async () => [] };
