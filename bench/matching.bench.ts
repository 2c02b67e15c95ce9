/**
 * Matching benchmark: a provider's file of addresses of the seeded `vinnytsia` city, written by a
 * seeded generator in every kind of mess providers produce, each row labelled with the premise it
 * means (or none: an address that does not exist, or a flat with no house). It runs the accounts
 * dry run and counts auto-matched rows and false matches. Baseline: the same premises written
 * cleanly («вул. Соборна, буд. 12, кв. 5»), matched in the same run.
 * Target: ≥ 95 % of existing addresses auto-matched, 0 false matches, and every address that
 * does not exist in review or new.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { normaliseStreetName, STREET_TYPE_ABBREVIATIONS, transliterateUk, type StreetType } from '../src/registry/address';
import { edrpouCheckDigit, generateValidIban } from '../src/shared/identifiers';
import { runImportNow } from '../src/onboarding/service';
import type { AppContext } from '../src/server/context';
import { BENCH_COMMUNITY as COMMUNITY, openBenchCity, printResult } from './lib';

const ROWS = Number(process.env.MATCHING_ROWS ?? 20_000);
const EDRPOU = (() => {
  const first7 = '4099015';
  return first7 + String(edrpouCheckDigit(first7));
})();

/** mulberry32: the same file every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Premise {
  premise_id: number;
  type: StreetType;
  name: string;
  former_names: string[];
  number: number;
  letter: string | null;
  fraction: string | null;
  block: string | null;
  house_key: string;
  apartment_key: string;
}

const LOOKALIKES: Record<string, string> = { а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', і: 'i', х: 'x', у: 'y' };
const LETTERS = [...'абвгдежзиклмнопрстуфхцчшщюя'];
const OTHER_TYPE_SPELLINGS: Partial<Record<StreetType, string[]>> = { вулиця: ['ул.', 'вулиця'], проспект: ['пр-т', 'проспект'], провулок: ['пер.', 'провулок'], площа: ['площа'], тупик: ['тупик'] };

type Mess = (p: Premise, r: () => number, keys: Set<string>) => { text: string; expected: boolean } | null;

const pick = <T>(r: () => number, xs: T[]) => xs[Math.floor(r() * xs.length)];
const abbr = (p: Premise) => STREET_TYPE_ABBREVIATIONS[p.type];
const house = (p: Premise, dash = false) =>
  `${p.number}${p.letter ? (dash ? `-${p.letter.toUpperCase()}` : p.letter) : ''}${p.fraction ? `/${p.fraction}` : ''}${p.block ? ` корп. ${p.block}` : ''}`;
const flat = (p: Premise) => (p.apartment_key === '' ? '' : p.apartment_key.startsWith('п') ? `, прим. ${p.apartment_key.slice(1)}` : `, кв. ${p.apartment_key}`);
const canonical = (p: Premise, name = p.name) => `${abbr(p)} ${name}, буд. ${house(p)}${flat(p)}`;
const plainFlat = (p: Premise) => /^\d+$/.test(p.apartment_key);

/** Each class of mess: the text, and whether it still names the premise. */
const MESSES: Record<string, Mess> = {
  canonical: (p) => ({ text: canonical(p), expected: true }),
  latin_lookalikes: (p) => ({ text: canonical(p, [...p.name].map((c) => LOOKALIKES[c] ?? c).join('')), expected: true }),
  apostrophes: (p) => (p.name.includes("'") ? { text: canonical(p, p.name.replace(/'/g, pick(rngFixed, ['’', 'ʼ', '`', '"']))), expected: true } : null),
  abbreviations: (p, r) => (OTHER_TYPE_SPELLINGS[p.type] ? { text: `${pick(r, OTHER_TYPE_SPELLINGS[p.type]!)} ${p.name} ${house(p)}${flat(p).replace(', кв.', ' кв')}`, expected: true } : null),
  type_after_name: (p) => ({ text: `${p.name} ${abbr(p)}, ${house(p)}${flat(p)}`, expected: true }),
  letter_with_dash: (p) => (p.letter ? { text: `${abbr(p)} ${p.name}, ${house(p, true)}${flat(p)}`, expected: true } : null),
  upper_case: (p) => ({ text: canonical(p).toUpperCase(), expected: true }),
  no_commas: (p) => ({ text: canonical(p).replace(/,/g, ''), expected: true }),
  glued_type: (p, r) => ({ text: r() < 0.5 ? `${abbr(p).replace(/\.$/, '')}${p.name} ${house(p)}${flat(p)}` : `${abbr(p).replace(/\.?$/, '.')}${p.name},${house(p)}${flat(p)}`, expected: true }),
  former_name: (p, r) => (p.former_names.length ? { text: canonical(p, pick(r, p.former_names)), expected: true } : null),
  transliterated: (p) =>
    p.apartment_key === '' || plainFlat(p) ? { text: `${transliterateUk(p.name)} ${house(p)}${p.apartment_key ? `, kv. ${p.apartment_key}` : ''}`, expected: true } : null,
  flat_after_slash: (p, r) =>
    !p.fraction && !p.block && plainFlat(p) ? { text: r() < 0.5 ? `${p.name.toUpperCase()},${p.number}${p.letter ?? ''}/${p.apartment_key}` : `${p.name} ${p.number}${p.letter ?? ''}-${p.apartment_key}`, expected: true } : null,
  typo: (p, r, keys) => {
    const s = [...p.name];
    const at = 1 + Math.floor(r() * (s.length - 1));
    if (r() < 0.5 && at + 1 < s.length) [s[at], s[at + 1]] = [s[at + 1], s[at]];
    else s[at] = s[at] === s[at].toUpperCase() ? s[at] : pick(r, LETTERS);
    const name = s.join('');
    // A slip that spells another real name is that name: not a typo of this street.
    if (name === p.name || keys.has(normaliseStreetName(name))) return null;
    return { text: canonical(p, name), expected: true };
  },
  no_such_house: (p) => ({ text: `${abbr(p)} ${p.name}, буд. ${9000 + p.number}${flat(p)}`, expected: false }),
  no_such_street: (p, r) => ({ text: `вул. ${pick(r, ['Зорепадна', 'Кременецька Нова', 'Янтарна Долина', 'Сонцесяйна', 'Вітрильників'])} ${p.number}, кв. 1`, expected: false }),
  flat_without_house: (p) => (p.apartment_key && plainFlat(p) ? { text: `${abbr(p)} ${p.name}, кв. ${p.apartment_key}`, expected: false } : null),
};
const rngFixed = rng(7);

async function loadPremises(ctx: AppContext): Promise<Premise[]> {
  const r = await sql<Premise>`
    select p.premise_id, st.type, st.name, st.former_names, b.number, b.letter, b.fraction, b.block, b.house_key, p.apartment_key
      from premise p
      join building b on b.community_id = p.community_id and b.building_id = p.building_id
      join street st on st.community_id = b.community_id and st.street_id = b.street_id
     where p.community_id = ${COMMUNITY} and p.premise_id % 7 = 3
     order by p.premise_id`.execute(ctx.db);
  return r.rows;
}

function writeFile(rows: Array<{ text: string }>, file: string) {
  const lines = ['особовий рахунок;адреса'];
  rows.forEach((row, i) => lines.push(`MB${i + 1};"${row.text.replace(/"/g, '""')}"`));
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
}

async function dryRun(ctx: AppContext, providerId: number, file: string) {
  const t0 = performance.now();
  const summary = await runImportNow(ctx, {
    communityId: COMMUNITY,
    providerId,
    kind: 'accounts',
    filePath: file,
    settings: { kind: 'accounts', columns: { account: 'особовий рахунок', address: 'адреса' }, defaultService: 'cold_water' },
    dryRun: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  const rows = await ctx.db.selectFrom('import_match').select(['row_no', 'status', 'premise_id']).where('community_id', '=', COMMUNITY).where('import_id', '=', summary.importId).orderBy('row_no').execute();
  return { rows, seconds };
}

function score(labels: Array<{ expected: number | null; mess: string }>, rows: Array<{ row_no: number; status: string; premise_id: number | null }>) {
  const byClass = new Map<string, { rows: number; matched: number; falseMatches: number; misplaced: number }>();
  let existing = 0;
  let matched = 0;
  let falseMatches = 0;
  let misplaced = 0; // a non-existent address neither in review nor new
  rows.forEach((row, i) => {
    const label = labels[i];
    const c = byClass.get(label.mess) ?? { rows: 0, matched: 0, falseMatches: 0, misplaced: 0 };
    byClass.set(label.mess, c);
    c.rows++;
    if (label.expected === null) {
      if (row.status !== 'review' && row.status !== 'new') {
        misplaced++;
        c.misplaced++;
      }
      return;
    }
    existing++;
    if (row.status !== 'matched') return;
    if (row.premise_id === label.expected) {
      matched++;
      c.matched++;
    } else {
      falseMatches++;
      c.falseMatches++;
    }
  });
  return { rate: existing ? matched / existing : 0, existing, matched, falseMatches, misplaced, byClass };
}

const ctx = await openBenchCity();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-matching-'));
let providerId: number | null = null;
try {
  await ctx.db.deleteFrom('provider').where('community_id', '=', COMMUNITY).where('edrpou', '=', EDRPOU).execute();
  providerId = (
    await ctx.db
      .insertInto('provider')
      .values({ community_id: COMMUNITY, edrpou: EDRPOU, iban: generateValidIban('302076', 15), name: 'Бенчмарк зіставлення' })
      .returning('provider_id')
      .executeTakeFirstOrThrow()
  ).provider_id;

  const premises = await loadPremises(ctx);
  const streetKeys = new Set(
    (await ctx.db.selectFrom('street').select(['name', 'former_names']).where('community_id', '=', COMMUNITY).execute()).flatMap((s) => [s.name, ...s.former_names].map(normaliseStreetName)),
  );
  const r = rng(15);
  const classes = Object.keys(MESSES);
  const messy: Array<{ text: string; expected: number | null; mess: string }> = [];
  const clean: Array<{ text: string; expected: number | null; mess: string }> = [];
  while (messy.length < ROWS) {
    const p = pick(r, premises);
    const mess = classes[messy.length % classes.length];
    const made = MESSES[mess](p, r, streetKeys);
    if (!made) continue;
    messy.push({ text: made.text, expected: made.expected ? p.premise_id : null, mess });
    clean.push({ text: canonical(p), expected: p.premise_id, mess: 'canonical' });
  }
  writeFile(messy, path.join(dir, 'messy.csv'));
  writeFile(clean, path.join(dir, 'clean.csv'));

  const base = await dryRun(ctx, providerId, path.join(dir, 'clean.csv'));
  const baseline = score(clean, base.rows);
  const run = await dryRun(ctx, providerId, path.join(dir, 'messy.csv'));
  const result = score(messy, run.rows);

  if (process.env.MATCHING_PEEK) {
    const misses = run.rows.flatMap((row, i) => (messy[i].mess === process.env.MATCHING_PEEK && row.status !== 'matched' ? [`${messy[i].text} → ${row.status}`] : []));
    for (const miss of misses.slice(0, 12)) console.log(`  ${miss}`);
  }
  // Every false match, so that one is never a bare number.
  run.rows.forEach((row, i) => {
    if (row.status === 'matched' && messy[i].expected !== null && row.premise_id !== messy[i].expected) {
      console.log(`FALSE MATCH: ${messy[i].text} → premise ${row.premise_id}, means ${messy[i].expected}`);
    }
  });
  console.log(`${ROWS} rows, ${result.existing} of existing addresses; dry run ${run.seconds.toFixed(1)} s (clean file ${base.seconds.toFixed(1)} s)`);
  console.log('class                 rows  auto-matched  false  non-existent misplaced');
  for (const [mess, c] of result.byClass) {
    console.log(`${mess.padEnd(20)} ${String(c.rows).padStart(5)}  ${String(c.matched).padStart(12)}  ${String(c.falseMatches).padStart(5)}  ${String(c.misplaced).padStart(5)}`);
  }
  console.log(`auto-matched: ${(result.rate * 100).toFixed(2)} % (clean file: ${(baseline.rate * 100).toFixed(2)} %); false matches: ${result.falseMatches} (clean: ${baseline.falseMatches}); non-existent addresses not in review or new: ${result.misplaced}`);
  printResult({
    bench: 'matching',
    value: result.rate,
    unit: 'auto-matched share of existing addresses',
    baseline: baseline.rate,
    ratio: baseline.rate ? result.rate / baseline.rate : 0,
    target: 0.95,
    met: result.rate >= 0.95 && result.falseMatches === 0 && result.misplaced === 0,
  });
} finally {
  if (providerId !== null) {
    const imports = ctx.db.selectFrom('data_import').select('import_id').where('community_id', '=', COMMUNITY).where('provider_id', '=', providerId);
    await ctx.db.deleteFrom('import_match').where('community_id', '=', COMMUNITY).where('import_id', 'in', imports).execute();
    await ctx.db.deleteFrom('import_row').where('community_id', '=', COMMUNITY).where('import_id', 'in', imports).execute();
    await ctx.db.deleteFrom('data_import').where('community_id', '=', COMMUNITY).where('provider_id', '=', providerId).execute();
    await ctx.db.deleteFrom('provider').where('community_id', '=', COMMUNITY).where('provider_id', '=', providerId).execute();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  await ctx.handle.close();
}
