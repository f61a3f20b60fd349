import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_TABLES } from '../../server/src/core/module.js';
import { MODULES } from '../../server/src/modules/index.js';

// Module boundaries, checked on the source: core knows no module, modules import each other
// without cycles, every table has one owner, and only the owner's code writes it.
const src = path.resolve(import.meta.dirname, '../../server/src');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
const rel = (f: string) => path.relative(src, f).split(path.sep).join('/');
const importsOf = (f: string) => [...fs.readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => rel(path.resolve(path.dirname(f), m[1])));
const moduleOf = (r: string) => /^modules\/([a-z]+)\//.exec(r)?.[1] ?? null;

const migrations = path.resolve(import.meta.dirname, '../../migrations');
const TABLES = ['schema_migrations', ...fs.readdirSync(migrations).flatMap((f) => [...fs.readFileSync(path.join(migrations, f), 'utf8').matchAll(/create table (\w+)/g)].map((m) => m[1]))]; // the runner creates schema_migrations itself
const WRITE = [/(?:insertInto|updateTable|deleteFrom)\('(\w+)/g, /\b(?:insert\s+into|update|delete\s+from)\s+(\w+)/gi];
const writesOf = (f: string) => new Set(WRITE.flatMap((re) => [...fs.readFileSync(f, 'utf8').matchAll(re)].map((m) => m[1])).filter((t) => TABLES.includes(t)));

describe('module boundaries', () => {
  it('core imports no module, no seed and no CLI', () => {
    const bad = files(path.join(src, 'core')).flatMap((f) => importsOf(f).filter((i) => /^(modules|seed|cli)\/|^app\.js$/.test(i)).map((i) => `${rel(f)} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('modules import each other without cycles (modules/index.ts is the composition root)', () => {
    const edges = new Map<string, Set<string>>();
    for (const f of files(path.join(src, 'modules'))) {
      const from = moduleOf(rel(f));
      if (!from) continue;
      for (const i of importsOf(f)) {
        const to = moduleOf(i);
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const visit = (m: string, trail: string[]) => {
      if (trail.includes(m)) { cycles.push([...trail.slice(trail.indexOf(m)), m].join(' → ')); return; }
      for (const n of edges.get(m) ?? []) visit(n, [...trail, m]);
    };
    for (const m of edges.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });

  it('every table has exactly one owner: core or one module', () => {
    const owners = [...CORE_TABLES.map((t) => [t, 'core']), ...MODULES.flatMap((m) => m.tables.map((t) => [t, m.name]))];
    const counted = new Map<string, string[]>();
    for (const [t, o] of owners) counted.set(t, [...(counted.get(t) ?? []), o]);
    expect([...counted].filter(([, o]) => o.length > 1)).toEqual([]);
    expect(TABLES.filter((t) => !counted.has(t))).toEqual([]);
    expect([...counted.keys()].filter((t) => !TABLES.includes(t))).toEqual([]);
  });

  it('a module\'s code writes only its own tables, core\'s only core tables', () => {
    const ownerOf = new Map<string, string>([...CORE_TABLES.map((t) => [t, 'core'] as const), ...MODULES.flatMap((m) => m.tables.map((t) => [t, m.name] as const))]);
    const dirs = new Map(MODULES.map((m) => [m.name, m.name]));
    const bad: string[] = [];
    for (const f of [...files(path.join(src, 'core')), ...files(path.join(src, 'modules'))]) {
      const r = rel(f);
      const writer = r.startsWith('core/') ? 'core' : dirs.get(moduleOf(r) ?? '') ?? null;
      if (!writer) continue; // modules/index.ts wires, it writes nothing
      for (const t of writesOf(f)) if (ownerOf.get(t) !== writer) bad.push(`${r} writes ${t} (owned by ${ownerOf.get(t)})`);
    }
    expect(bad).toEqual([]);
  });

  it('every module directory has a manifest in the list', () => {
    const dirs = fs.readdirSync(path.join(src, 'modules'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(MODULES.map((m) => m.name).sort()).toEqual(dirs);
  });
});
