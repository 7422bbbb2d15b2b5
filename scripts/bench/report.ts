import { cpus, release, totalmem } from 'node:os';
import type { BenchRow, BenchSettings, Target } from './bench-types.js';

/** The machine the figures were taken on: they only mean something next to it. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly settings: BenchSettings;
  readonly pass: boolean;
  readonly rows: readonly BenchRow[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()} ${process.arch}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

/** Three significant digits, enough for figures that vary by a few percent between runs. */
export function formatNumber(value: number | null): string {
  if (value === null) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatTarget(target: Target, unit: string): string {
  switch (target.kind) {
    case 'info':
      return '(info)';
    case 'ratio':
      return `≤ ${target.max}×`;
    case 'faster':
      return '< 1× (faster)';
    case 'absolute':
      return `≤ ${target.max} ${unit}`;
  }
}

function ratioText(row: BenchRow): string {
  return row.ratio === null ? '—' : `${formatNumber(row.ratio)}×`;
}

/** The table the issue asks for: benchmark, ours, baseline, ratio, target, pass/fail. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'ours', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [
    row.name,
    `${formatNumber(row.ours)} ${row.unit}`.trim(),
    row.baseline === null ? '—' : `${formatNumber(row.baseline)} ${row.unit} (${row.baselineName ?? ''})`,
    ratioText(row),
    formatTarget(row.target, row.unit),
    row.target.kind === 'info' ? (row.pass ? '—' : 'FAIL') : row.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n');
}

/** Notes and broken invariants under the table, so a failure says why. */
export function formatNotes(rows: readonly BenchRow[]): string {
  const out: string[] = [];
  for (const row of rows) {
    const broken = row.invariants.filter((invariant) => !invariant.ok);
    for (const invariant of broken) out.push(`- ${row.name}: ${invariant.name} NOT met: ${invariant.detail}`);
    for (const note of row.notes) out.push(`- ${row.name}: ${note}`);
  }
  return out.join('\n');
}

export function formatMachine(machine: MachineInfo): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`;
}
