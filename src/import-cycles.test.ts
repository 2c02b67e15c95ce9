/**
 * Imports point down the layers only: no module of src/ reaches, through its runtime imports,
 * back to itself. (Type-only imports vanish at build time and may point anywhere.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve('src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The local modules a file imports at run time. */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm)].flatMap((m) => {
    const target = path.join(path.dirname(file), m[1]!.replace(/\.js$/, ''));
    return [`${target}.ts`, `${target}.tsx`, path.join(target, 'index.ts')].filter((c) => fs.existsSync(c)).slice(0, 1);
  });
}

export function importCycles(files: string[]): string[] {
  const graph = new Map(files.map((f) => [f, runtimeImports(f)]));
  const cycles: string[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string) => {
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      const at = stack.indexOf(dep);
      if (at >= 0) cycles.push([...stack.slice(at), dep].map((f) => path.relative(ROOT, f)).join(' → '));
      else if (!done.has(dep)) visit(dep);
    }
    stack.pop();
    done.add(file);
  };
  for (const f of files) if (!done.has(f)) visit(f);
  return cycles;
}

describe('module imports', () => {
  it('form no cycle in src/', () => {
    expect(importCycles(sources(ROOT))).toEqual([]);
  });

  it('the check finds a cycle when there is one', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '..', 'node_modules', '.cycle-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import type { X } from './c';\nimport { c } from './c';\nexport const b = c;\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a';\nexport const c = a;\nexport type X = 1;\n");
      expect(importCycles(['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(dir, f)))).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
