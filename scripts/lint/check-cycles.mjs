#!/usr/bin/env node
// Import cycles, type-only imports included. eslint's import-x/no-cycle ignores `import type`,
// but a type-only cycle still ties two layers together (a new maintainer cannot read one without
// the other), so `npm run lint` runs this as well: every relative import and re-export of
// src-main, src-shared and src-renderer, resolved to files, searched for strongly connected
// components (Tarjan). Prints each cycle and exits 1 when there is one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const folders = process.argv.length > 2 ? process.argv.slice(2) : ['src-main', 'src-shared', 'src-renderer'];

function sourcesIn(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourcesIn(path, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The file a relative specifier names (`./x.js` is written for `./x.ts`), or null when it is not ours. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const files = folders.flatMap((folder) => sourcesIn(join(root, folder)));
const edges = new Map();
for (const file of files) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = info.importedFiles
    .map((ref) => resolveSpecifier(file, ref.fileName))
    .filter((target) => target !== null);
  edges.set(file, [...new Set(targets)]);
}

// Tarjan's strongly connected components, iteratively (deep trees must not overflow the stack).
let next = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
for (const start of files) {
  if (index.has(start)) continue;
  const work = [[start, 0]];
  index.set(start, next);
  low.set(start, next++);
  stack.push(start);
  onStack.add(start);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    const [node, i] = frame;
    const out = edges.get(node) ?? [];
    if (i < out.length) {
      frame[1] += 1;
      const to = out[i];
      if (!edges.has(to)) continue;
      if (!index.has(to)) {
        index.set(to, next);
        low.set(to, next++);
        stack.push(to);
        onStack.add(to);
        work.push([to, 0]);
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
      continue;
    }
    work.pop();
    if (work.length > 0) {
      const parent = work[work.length - 1][0];
      low.set(parent, Math.min(low.get(parent), low.get(node)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (edges.get(node) ?? []).includes(node)) cycles.push(component);
    }
  }
}

if (cycles.length === 0) {
  process.stdout.write(
    `No import cycles in ${folders.join(', ')} (${files.length} files, type-only imports included).\n`,
  );
} else {
  for (const component of cycles) {
    process.stderr.write(`Import cycle (type-only imports included) through ${component.length} files:\n`);
    for (const file of component.sort()) process.stderr.write(`  ${relative(root, file)}\n`);
  }
  process.exit(1);
}
