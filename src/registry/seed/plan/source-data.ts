/** Reading the bundled street list and КАТОТТГ rows (the plan's only I/O). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

// ---------------------------------------------------------------------------------------------
// Bundled data (copied from shared/data, see source-data/README.md; not named data/, which .gitignore ignores)
// ---------------------------------------------------------------------------------------------

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'source-data');

export interface StreetSource {
  type: string;
  name: string;
  formerNames: string[];
}

let streetCache: StreetSource[] | undefined;

export function readStreets(): StreetSource[] {
  streetCache ??= (
    parse(fs.readFileSync(path.join(dataDir, 'vinnytsia-streets.csv'), 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<
      Record<string, string>
    >
  ).map((r) => ({
    type: r.type,
    name: r.name,
    formerNames: r.former_names ? r.former_names.split(';').map((s) => s.trim()).filter(Boolean) : [],
  }));
  return streetCache;
}

export const COMMUNITY_NAME = 'Вінницька міська територіальна громада';

/** The community's own КАТОТТГ code: the category H (територіальна громада) row of the codifier. */
export function readCommunityKatottg(): string {
  const rows = parse(fs.readFileSync(path.join(dataDir, 'vinnytsia-katottg.csv'), 'utf8'), { columns: true, trim: true }) as Array<
    Record<string, string>
  >;
  const row = rows.find((r) => r.category === 'H');
  if (!row) throw new Error('vinnytsia-katottg.csv has no community (category H) row');
  return row.level3;
}
