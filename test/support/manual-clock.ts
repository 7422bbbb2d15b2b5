import type { Clock } from '../../src-main/core/clock.js';

/** A clock tests set by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 10, 24, 12, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}
