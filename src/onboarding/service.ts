/**
 * Importing a provider's file, as a job:
 *   1. stage — stream the file, read each row through the profile, compute address keys, COPY
 *      the rows into import_row (checkpoint: staged);
 *   2. match — a few set-based statements (repo.ts) in one transaction (checkpoint: matched);
 *   3. apply — one transaction: accounts, reports, ledger differences, addresses; unless dry run.
 * A crash in 1 restarts staging (nothing is visible yet), in 2 or 3 rolls back; the job resumes
 * from its checkpoint. The same bytes imported again change nothing and say so; a corrected file
 * changes only the rows that differ (upserts compare, the ledger gets only differences).
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle, Db, Tx } from '../db/index';
import type { JobRun } from '../jobs/queue';
import { AppError, invalid, type Bilingual } from '../shared/errors';
import { makeUnifiedAccountNumber } from '../shared/identifiers';
import { otherStreetNames, type AddressKeysResult } from './address-keys';
import { AddressKeyResolver } from './address-worker';
import { openCopy, type CopyValue } from './copy';
import {
  addressText,
  planColumns,
  profileSettingsSchema,
  readRow,
  type CanonicalRecord,
  type CellError,
  type FileKind,
  type ProfileInput,
  type ProfileSettings,
} from './profile';
import { openTable, refuseFile, type TableReader } from './readers';
import { submitReadingsBulk, upsertMetersBulk, type MeterInput } from '../metering/service';
import * as repo from './repo';
import * as matchRepo from './match-repo';
import { timed } from './trace';
import { serviceResolver } from './service-names';
import { loadSettings, openPeriodForCorrections } from '../billing/run';
import { flagTariffMismatches } from '../billing/flags';

export const IMPORT_JOB = 'onboarding.import';

export interface ImportRequest {
  communityId: number;
  providerId: number | null;
  kind: FileKind;
  filePath: string;
  /** The name people know the file by. */
  fileName?: string;
  settings: ProfileInput;
  dryRun?: boolean;
  createdBy?: number | null;
}

export interface ImportSummary {
  importId: number;
  status: string;
  dryRun: boolean;
  counters: Record<string, number>;
  message: Bilingual;
  sameAs?: number;
}

export async function hashFile(filePath: string): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(filePath)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), bytes };
}

/**
 * Records an import of a file. When the very same file was already applied for this provider and
 * kind with the same profile, the new record is 'unchanged' at once and nothing runs.
 */
export async function createImport(db: Db, req: ImportRequest): Promise<{ importId: number; unchanged?: ImportSummary }> {
  const settings = profileSettingsSchema.parse({ ...req.settings, kind: req.kind });
  if (req.kind !== 'addresses' && req.providerId === null) {
    throw invalid('provider_required', { uk: 'Для цього виду файлу потрібен постачальник', en: 'This kind of file needs a provider' });
  }
  const { hash, bytes } = await hashFile(req.filePath);
  const fileName = req.fileName ?? req.filePath.split(/[\\/]/).pop()!;
  const prior = req.dryRun ? undefined : await repo.findAppliedSameFile(db, req.communityId, req.providerId, req.kind, hash, settings);
  const row = await db
    .insertInto('data_import')
    .values({
      community_id: req.communityId,
      provider_id: req.providerId,
      kind: req.kind,
      file_name: fileName,
      file_hash: hash,
      file_bytes: bytes,
      settings: JSON.stringify(settings),
      dry_run: req.dryRun ?? false,
      status: prior ? 'unchanged' : 'staging',
      counters: JSON.stringify(prior ? { ...(prior.counters as Record<string, number>), sameAs: prior.import_id } : {}),
      created_by: req.createdBy ?? null,
      finished_at: prior ? new Date() : null,
    })
    .returning('import_id')
    .executeTakeFirstOrThrow();
  if (!prior) return { importId: row.import_id };
  return {
    importId: row.import_id,
    unchanged: {
      importId: row.import_id,
      status: 'unchanged',
      dryRun: false,
      sameAs: prior.import_id,
      counters: prior.counters as Record<string, number>,
      message: {
        uk: `Цей самий файл уже імпортовано (імпорт №${prior.import_id}): нічого не змінено`,
        en: `This very file was already imported (import #${prior.import_id}): nothing changed`,
      },
    },
  };
}

// ---------------------------------------------------------------- staging

const STAGE_COLUMNS = [
  'community_id',
  'import_id',
  'row_no',
  'status',
  'account_number',
  'service_code',
  'address_raw',
  'address_key',
  'street_type',
  'street_key',
  'street_translit_key',
  'house_key',
  'apartment_key',
  'house_number',
  'house_letter',
  'house_fraction',
  'house_block',
  'apartment',
  'flat_house_key',
  'flat_apartment_key',
  'data',
  'errors',
] as const;

const ADDRESS_KINDS: FileKind[] = ['addresses', 'accounts'];
const ROW_FIELDS = new Set(['account', 'service', 'address', 'street_type', 'street', 'house', 'apartment']);

/** A row of empty cells (a module-level function: a closure here would be made anew per row). */
function isBlankRow(values: string[]): boolean {
  for (const v of values) if (v.trim() !== '') return false;
  return true;
}

/** An import's final status by its rows: all failed → failed; some → partial; none → applied. */
export function importOutcome(counters: Record<string, number>): 'applied' | 'partial' | 'failed' {
  const rows = counters.rows ?? 0;
  const errors = counters.error ?? 0;
  if (rows > 0 && errors === rows) return 'failed';
  return errors > 0 ? 'partial' : 'applied';
}

/** The service code a row names: the profile's mapping first, then a code or a name (service-names.ts); else the text as written, which the matcher reports as unknown. */
function serviceCodeOf(record: CanonicalRecord, settings: ProfileSettings, resolve: (raw: string) => string | null): string | null {
  const raw = record.service === null || record.service === undefined ? settings.defaultService : String(record.service);
  if (raw === undefined) return null;
  const mapped = settings.services[raw] ?? settings.services[raw.toLowerCase()];
  return mapped ?? resolve(raw) ?? raw;
}

/**
 * A register row's former names and aliases into its data (names and their search keys), or an
 * error for the cell. Data holds JSON values, so the lists travel as JSON text.
 */
function readOtherNames(record: CanonicalRecord, data: Record<string, CanonicalValue>, errors: CellError[], column: (field: string) => string) {
  for (const [field, keysField] of [['former_names', 'former_keys'], ['aliases', 'alias_keys']] as const) {
    const cell = record[field];
    if (cell === null || cell === undefined) continue;
    const other = otherStreetNames(String(cell));
    if (!other.ok) {
      errors.push({ column: column(field), field, value: String(cell), uk: other.reason.uk, en: other.reason.en });
      delete data[field];
      continue;
    }
    data[field] = JSON.stringify(other.names);
    data[keysField] = JSON.stringify(other.keys);
  }
}

/** Rows are read, their addresses parsed and staged in batches of this size. */
const BATCH_ROWS = 5_000;
/** Files from this size on parse their addresses in a worker thread. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

interface ReadBatch {
  rows: Array<{ rowNo: number; record: CanonicalRecord; errors: CellError[]; addressRaw: string | null }>;
  keys: Promise<Map<string, AddressKeysResult>>;
}

export function readerOptions(settings: ProfileSettings, fileName: string) {
  return {
    format: settings.format,
    encoding: settings.encoding as TableReader['encoding'],
    delimiter: settings.delimiter,
    sheet: settings.sheet,
    displayName: fileName,
  };
}

async function stageRows(handle: DatabaseHandle, run: JobRun, imp: { import_id: number; file_name: string }, filePath: string, settings: ProfileSettings) {
  const scope = { communityId: run.communityId, importId: imp.import_id };
  await repo.deleteRows(handle.db, scope);
  const reader = await openTable(filePath, readerOptions(settings, imp.file_name));
  try {
    const plan = planColumns(settings, reader.headers);
    if (plan.missing.length > 0) {
      const names = (lang: 'uk' | 'en') => plan.missing.map((m) => `${m.label[lang]}${m.column ? ` («${m.column}»)` : ''}`).join(', ');
      throw refuseFile(imp.file_name, 'missing_columns', `немає обов’язкових стовпців: ${names('uk')}; є: ${reader.headers.join(', ')}`, `required columns are missing: ${names('en')}; found: ${reader.headers.join(', ')}`, {
        missing: plan.missing.map((m) => m.field),
        headers: reader.headers,
      });
    }
    await run.db
      .updateTable('data_import')
      .set({ format: reader.format, encoding: reader.encoding ?? null })
      .where('community_id', '=', run.communityId)
      .where('import_id', '=', imp.import_id)
      .execute();
    const mapped = (field: string) => plan.fields.find((f) => f.spec.name === field)?.column;
    const column = (field: string) => mapped(field) ?? field;
    const addressColumn = mapped('address') ?? column('street');
    const withAddress = ADDRESS_KINDS.includes(settings.kind);
    const keys = new AddressKeyResolver(withAddress && fs.statSync(filePath).size >= WORKER_MIN_BYTES);
    // The fields kept in import_row.data: every mapped one that has no column of its own.
    const dataFields = plan.fields.map((f) => f.spec.name).filter((field) => !ROW_FIELDS.has(field));
    const resolveService = serviceResolver(
      (await run.db.selectFrom('service').select(['code', 'name_uk as nameUk', 'name_en as nameEn']).where('community_id', '=', run.communityId).execute()),
    );
    const copy = await openCopy(handle, 'import_row', STAGE_COLUMNS);
    let staged = 0;

    /** Writes a read batch once its address keys are in. */
    const writeBatch = async (batch: ReadBatch) => {
      const parsedKeys = await batch.keys;
      for (const { rowNo, record, errors, addressRaw } of batch.rows) {
        const data: Record<string, CanonicalValue> = {};
        for (const field of dataFields) if (record[field] !== null) data[field] = record[field];
        let k: Extract<AddressKeysResult, { ok: true }>['value'] | null = null;
        if (addressRaw !== null) {
          const parsed = parsedKeys.get(addressRaw)!;
          if (parsed.ok && parsed.value.houseKey === null && settings.kind === 'addresses') {
            // A register row must name the house to create or find the premise.
            errors.push({ column: addressColumn, field: 'address', value: addressRaw, uk: 'Вказано квартиру, але не вказано номер будинку', en: 'An apartment is given but no house number' });
          } else if (parsed.ok) {
            k = parsed.value;
            if (settings.kind === 'addresses') {
              data.street_name = k.streetName;
              readOtherNames(record, data, errors, column);
            }
          } else errors.push({ column: addressColumn, field: 'address', value: addressRaw, uk: parsed.reason.uk, en: parsed.reason.en });
        }
        const write = copy.write([
          run.communityId,
          imp.import_id,
          rowNo,
          errors.length ? 'error' : 'review',
          record.account === undefined || record.account === null ? null : String(record.account),
          settings.kind === 'addresses' ? null : serviceCodeOf(record, settings, resolveService),
          addressRaw,
          k?.addressKey,
          k?.streetType,
          k?.streetKey,
          k?.streetTranslitKey,
          k?.houseKey,
          k?.apartmentKey,
          k?.houseNumber,
          k?.houseLetter,
          k?.houseFraction,
          k?.houseBlock,
          k?.apartment,
          settings.kind === 'addresses' ? null : k?.flatReading?.houseKey,
          settings.kind === 'addresses' ? null : k?.flatReading?.apartmentKey,
          JSON.stringify(data),
          errors.length ? JSON.stringify(errors) : null,
        ] as CopyValue[]);
        if (write) await write;
      }
      staged += batch.rows.length;
      await run.progress(staged, null, `прочитано ${staged} рядків / ${staged} rows read`);
    };

    // Batch n's addresses are parsed (in the worker, for large files) while batch n + 1 is read.
    let reading: ReadBatch['rows'] = [];
    let parsing: ReadBatch | null = null;
    const nextBatch = async () => {
      const batch = { rows: reading, keys: keys.resolve(reading.flatMap((r) => (r.addressRaw ? [r.addressRaw] : []))) };
      reading = [];
      if (parsing) await writeBatch(parsing);
      parsing = batch;
    };
    try {
      for await (const { rowNo, values } of reader.rows()) {
        if (isBlankRow(values)) continue;
        const { record, errors } = readRow(plan, settings, values);
        let addressRaw: string | null = null;
        if (withAddress) {
          const text = addressText(record);
          if (text === '') errors.push({ column: addressColumn, field: 'address', value: '', uk: 'адресу не вказано', en: 'the address is empty' });
          else addressRaw = text;
        }
        reading.push({ rowNo, record, errors, addressRaw });
        if (reading.length >= BATCH_ROWS) await nextBatch();
      }
      await nextBatch();
      if (parsing) await writeBatch(parsing);
      await copy.end();
    } catch (err) {
      await copy.abort();
      throw err;
    } finally {
      await keys.close();
    }
    if (staged === 0) throw refuseFile(imp.file_name, 'empty', 'у файлі немає рядків з даними', 'the file has no data rows');
    await sql`analyze import_row`.execute(handle.db);
    return { staged, serviceColumn: column('service'), accountColumn: column('account') };
  } finally {
    await reader.close();
  }
}

type CanonicalValue = CanonicalRecord[string];

// ---------------------------------------------------------------- the job

interface Checkpoint {
  phase: 'staged' | 'matched';
  serviceColumn: string;
  accountColumn: string;
}

/** The import job: params { importId, filePath }. */
export function importJob(handle: DatabaseHandle) {
  return async (run: JobRun<{ importId: number; filePath: string }>): Promise<ImportSummary> => {
    const db = handle.db;
    const { importId, filePath } = run.params;
    const scope = { communityId: run.communityId, importId };
    const imp = await repo.findImport(db, run.communityId, importId);
    if (!imp) throw new AppError('not_found', 404, { uk: `Імпорт №${importId} не знайдено`, en: `Import #${importId} not found` });
    const settings = profileSettingsSchema.parse(imp.settings);
    const setImport = (values: Record<string, unknown>) =>
      db.updateTable('data_import').set(values).where('community_id', '=', run.communityId).where('import_id', '=', importId).execute();
    await setImport({ job_id: run.jobId });
    try {
      let checkpoint = run.checkpoint as Checkpoint | null;
      if (!checkpoint) {
        await run.progress(0, null, 'читання файлу / reading the file');
        const staged = await timed('stage', () => stageRows(handle, run, imp, filePath, settings));
        checkpoint = { phase: 'staged', serviceColumn: staged.serviceColumn, accountColumn: staged.accountColumn };
        await run.saveCheckpoint(checkpoint);
      }
      if (checkpoint.phase === 'staged') {
        await run.progress(0, null, 'зіставлення адрес / matching addresses');
        await db.transaction().execute(async (trx) => {
          await bulkSettings(trx, handle.kind);
          await matchImport(trx, scope, imp.provider_id, settings, checkpoint!);
        });
        checkpoint = { ...checkpoint, phase: 'matched' };
        await run.saveCheckpoint(checkpoint);
      }
      const counters = await matchRepo.countByStatus(db, scope);
      if (imp.dry_run) {
        await setImport({ status: 'staged', counters: JSON.stringify(counters), finished_at: new Date() });
        return {
          importId,
          status: 'staged',
          dryRun: true,
          counters,
          message: {
            uk: `Пробний прогін: ${counters.rows} рядків, зіставлено ${counters.matched}, на перевірку ${counters.review}, нових ${counters.new}, помилок ${counters.error}; нічого не змінено`,
            en: `Dry run: ${counters.rows} rows, ${counters.matched} matched, ${counters.review} to review, ${counters.new} new, ${counters.error} errors; nothing changed`,
          },
        };
      }
      await run.progress(0, null, 'запис змін / applying changes');
      const applied =
        settings.kind === 'readings'
          ? await applyReadings(db, scope, imp.provider_id!, imp.created_by, imp.file_name)
          : await db.transaction().execute(async (trx) => {
              await bulkSettings(trx, handle.kind);
              return applyImport(trx, scope, imp.provider_id, settings, imp.created_by);
            });
      const all = { ...counters, ...applied };
      const changes = Object.values(applied).reduce((a, b) => a + b, 0);
      const status = importOutcome(counters);
      if (status === 'failed') {
        const error = {
          code: 'all_rows_failed',
          message_uk: `Жоден рядок не імпортовано: помилки в усіх ${counters.rows} рядках (див. звіт)`,
          message_en: `No row was imported: all ${counters.rows} rows have errors (see the report)`,
        };
        await setImport({ status, counters: JSON.stringify(all), error: JSON.stringify(error), finished_at: new Date() });
        return { importId, status, dryRun: false, counters: all, message: { uk: error.message_uk, en: error.message_en } };
      }
      await setImport({ status, counters: JSON.stringify(all), finished_at: new Date() });
      return {
        importId,
        status,
        dryRun: false,
        counters: all,
        message:
          changes === 0
            ? { uk: 'Нічого не змінилося: усі рядки вже такі самі в базі', en: 'Nothing changed: every row is already the same in the database' }
            : {
                uk: `Імпортовано: ${counters.matched} рядків зіставлено; змін: ${changes}; на перевірку ${counters.review}, нових адрес ${counters.new}, помилок ${counters.error}`,
                en: `Imported: ${counters.matched} rows matched; ${changes} changes; ${counters.review} to review, ${counters.new} new addresses, ${counters.error} errors`,
              },
      };
    } catch (err) {
      const error = err instanceof AppError ? { code: err.code, message_uk: err.messages.uk, message_en: err.messages.en, ...err.details } : { code: 'internal', message_en: (err as Error).message };
      await setImport({ status: 'failed', error: JSON.stringify(error), finished_at: new Date() });
      throw err;
    }
  };
}

/**
 * Settings of the match and apply transactions. Their statements hash and sort up to a million
 * rows: PostgreSQL's default 4 MB work_mem spills them to disk in batches (PGlite keeps the
 * default: its memory is the process's). The commit need not wait for the WAL flush: the job
 * marks the import applied only afterwards, in a transaction that does wait, and that flush
 * carries this one with it; a crash before it leaves the job resumable from its checkpoint.
 */
async function bulkSettings(trx: Parameters<typeof matchRepo.matchAddresses>[0], kind: DatabaseHandle['kind']) {
  if (kind === 'postgres') await sql`set local work_mem = '256MB'`.execute(trx);
  await sql`set local synchronous_commit = off`.execute(trx);
}

async function matchImport(trx: Parameters<typeof matchRepo.matchAddresses>[0], scope: { communityId: number; importId: number }, providerId: number | null, settings: ProfileSettings, cp: Checkpoint) {
  switch (settings.kind) {
    case 'addresses':
      await matchRepo.matchRegister(trx, scope);
      return;
    case 'accounts':
      await matchRepo.matchAddresses(trx, scope, { service: cp.serviceColumn, account: cp.accountColumn });
      break;
    default:
      await matchRepo.matchAccounts(trx, scope, providerId!, { service: cp.serviceColumn, account: cp.accountColumn });
  }
  // Implausible amounts wait for a person, whatever matched them; so do charges above the approved
  // tariff when the community chose to hold them (else they are posted and flagged, see applyImport).
  const billingSettings = await loadSettings(trx, scope.communityId);
  await repo.holdImplausibleAmounts(trx, scope, settings.kind, billingSettings.amountBounds);
  if (settings.kind === 'charges' && billingSettings.tariffExcess === 'hold' && providerId) await repo.holdAboveApprovedTariff(trx, scope, providerId);
}


async function applyImport(
  trx: Parameters<typeof matchRepo.matchAddresses>[0],
  scope: { communityId: number; importId: number },
  providerId: number | null,
  settings: ProfileSettings,
  createdBy: number | null,
): Promise<Record<string, number>> {
  const today = new Date().toISOString().slice(0, 10);
  let applied: Record<string, number>;
  switch (settings.kind) {
    case 'addresses':
      applied = await repo.applyRegister(trx, scope);
      await ensureUnifiedAccounts(trx, scope.communityId);
      break;
    case 'accounts': {
      const accounts = await timed('upsert accounts', () => repo.upsertAccounts(trx, scope, providerId!, today));
      // Statistics of a table that just grew by a million rows would mislead the planner.
      if (accounts.created > 10_000) await timed('analyze account', () => sql`analyze account`.execute(trx));
      await timed('link accounts', () => repo.linkAccounts(trx, scope, providerId!));
      const reports = await timed('account reports', () => repo.upsertAccountReports(trx, scope));
      const period = await openingBalancePeriod(trx, scope.communityId, settings, today);
      const ledger = await timed('opening balances', () => repo.postOpeningBalances(trx, scope, period));
      applied = { accountsCreated: accounts.created, accountsMoved: accounts.moved, reportsChanged: reports, ledgerEntries: ledger };
      break;
    }
    case 'charges': {
      applied = { ledgerEntries: await repo.postCharges(trx, scope, providerId!) };
      // What was posted above the approved tariff shows on the city's tariff control at once.
      const periods = await sql<{ period: string }>`select distinct (data->>'period') as period from import_row where community_id = ${scope.communityId} and import_id = ${scope.importId} and data ? 'period'`.execute(trx);
      for (const { period } of periods.rows) await flagTariffMismatches(trx, scope.communityId, period);
      break;
    }
    case 'payments':
      applied = { ledgerEntries: await repo.postPayments(trx, scope, providerId!) };
      break;
    default:
      throw invalid('kind_not_supported', { uk: `Вид файлу «${settings.kind}» записується інакше`, en: `File kind "${settings.kind}" is applied elsewhere` });
  }
  // One audit record per import: the counts say what changed; the rows are in import_row.
  await trx
    .insertInto('audit_log')
    .values({
      community_id: scope.communityId,
      user_id: createdBy,
      action: 'import.apply',
      entity: 'data_import',
      entity_id: String(scope.importId),
      before: null,
      after: JSON.stringify({ kind: settings.kind, providerId, ...applied }),
    })
    .execute();
  return applied;
}

/**
 * Meters and readings go through metering's own bulk rules (validation, duplicates, review) in
 * chunks: meters are created or updated by serial, then the readings submitted as a provider
 * file. Each chunk commits on its own; a re-run finds the same meters and recognises the
 * readings as duplicates, so resuming after a crash changes nothing twice. Rejected readings
 * become error rows of the report with metering's reason.
 */
async function applyReadings(db: Db, scope: { communityId: number; importId: number }, providerId: number, createdBy: number | null, fileName: string) {
  const actor = { userId: createdBy ?? 0, communityId: scope.communityId, login: 'import', displayName: 'Імпорт', role: 'operator' as const, providerId: null };
  const counters = { metersCreated: 0, metersUpdated: 0, readingsAccepted: 0, readingsToReview: 0, readingsRejected: 0, readingsDuplicate: 0 };
  let after = 0;
  for (;;) {
    const rows = await sql<{ row_no: number; premise_id: number; service_code: string; data: Record<string, string> }>`
      select r.row_no, m.premise_id, r.service_code, r.data
        from import_match m join import_row r on r.community_id = m.community_id and r.import_id = m.import_id and r.row_no = m.row_no
       where m.community_id = ${scope.communityId} and m.import_id = ${scope.importId} and m.status = 'matched' and m.row_no > ${after}
       order by m.row_no limit 5000`.execute(db);
    if (rows.rows.length === 0) break;
    after = rows.rows[rows.rows.length - 1].row_no;
    // One reading per meter and date, its zones in zone order.
    const groups = new Map<string, typeof rows.rows>();
    for (const r of rows.rows) {
      const key = `${r.data.meter}|${r.data.reading_date}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const list = [...groups.values()].map((g) => g.sort((a, b) => String(a.data.zone ?? '').localeCompare(String(b.data.zone ?? ''))));
    const meters = new Map<string, MeterInput>();
    for (const g of list) {
      const r = g[0];
      meters.set(`${r.service_code}|${r.data.meter}`, {
        serial: String(r.data.meter),
        serviceCode: r.service_code,
        premiseId: r.premise_id,
        providerId,
        zones: g.length,
        installedOn: String(r.data.reading_date),
        verifiedUntil: r.data.verified_until ? String(r.data.verified_until) : null,
      });
    }
    const meterResults = await upsertMetersBulk(db, actor, [...meters.values()]);
    for (const m of meterResults) {
      if (m.outcome === 'created') counters.metersCreated++;
      else if (m.outcome === 'updated') counters.metersUpdated++;
    }
    const results = await submitReadingsBulk(
      db,
      actor,
      list.map((g) => ({ serial: String(g[0].data.meter), readOn: String(g[0].data.reading_date), values: g.map((r) => String(r.data.value)), externalRef: `import:${scope.importId}:${g[0].row_no}` })),
      { channel: 'provider_file', source: fileName },
    );
    for (const res of results) {
      const group = list[res.row];
      if (res.duplicate) counters.readingsDuplicate++;
      else if (res.status === 'accepted') counters.readingsAccepted++;
      else if (res.status === 'needs_review') counters.readingsToReview++;
      else counters.readingsRejected++;
      if (res.status === 'rejected' || res.status === 'needs_review') {
        await db
          .updateTable('import_match')
          .set({
            ...(res.status === 'rejected' ? { status: 'error' as const, errors: JSON.stringify([{ field: 'value', column: 'value', value: group.map((r) => r.data.value).join(' / '), uk: res.message_uk, en: res.message_en }]) } : {}),
            reason_uk: res.message_uk,
            reason_en: res.message_en,
          })
          .where('community_id', '=', scope.communityId)
          .where('import_id', '=', scope.importId)
          .where('row_no', 'in', group.map((r) => r.row_no))
          .execute();
      }
    }
  }
  return counters;
}

/**
 * The month opening balances go to: the profile's, which must not be closed, or else the first
 * month open for corrections (this month, unless billing has closed it).
 */
export async function openingBalancePeriod(trx: Tx, communityId: number, settings: ProfileSettings, today: string): Promise<string> {
  if (!settings.openingPeriod) return openPeriodForCorrections(trx, communityId, `${today.slice(0, 7)}-01`);
  const period = `${settings.openingPeriod}-01`;
  const closed = await trx
    .selectFrom('billing_period')
    .select('period')
    .where('community_id', '=', communityId)
    .where('period', '=', period)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  if (closed) {
    throw invalid(
      'period_closed',
      {
        uk: `Місяць вхідного сальдо ${settings.openingPeriod} уже закрито: вкажіть відкритий місяць у профілі або залиште поле порожнім`,
        en: `The opening balance month ${settings.openingPeriod} is closed: name an open month in the profile or leave it empty`,
      },
      { field: 'openingPeriod' },
    );
  }
  return period;
}

/** Every premise gets its unified account (Luhn check digit), numbered after its id. */
export async function ensureUnifiedAccounts(trx: Parameters<typeof matchRepo.matchAddresses>[0], communityId: number) {
  const missing = await trx
    .selectFrom('premise as p')
    .leftJoin('unified_account as u', (j) => j.onRef('u.community_id', '=', 'p.community_id').onRef('u.premise_id', '=', 'p.premise_id'))
    .select('p.premise_id')
    .where('p.community_id', '=', communityId)
    .where('u.premise_id', 'is', null)
    .execute();
  for (let i = 0; i < missing.length; i += 5000) {
    const values = missing.slice(i, i + 5000).map((m) => ({
      community_id: communityId,
      premise_id: m.premise_id,
      number: makeUnifiedAccountNumber((communityId % 100) * 10_000_000 + m.premise_id),
    }));
    await trx.insertInto('unified_account').values(values).onConflict((oc) => oc.doNothing()).execute();
  }
  return missing.length;
}


// ---------------------------------------------------------------- entry points

/** Runs an import in this process (the CLI's way), printing progress through `onProgress`. */
export async function runImportNow(
  ctx: { handle: DatabaseHandle; jobs: import('../jobs/queue').JobQueue },
  req: ImportRequest,
  onProgress?: (done: number, total: number | null, message?: string) => void,
): Promise<ImportSummary> {
  const created = await createImport(ctx.handle.db, req);
  if (created.unchanged) return created.unchanged;
  const { result } = await ctx.jobs.runNow(req.communityId, IMPORT_JOB, { importId: created.importId, filePath: req.filePath }, onProgress);
  return result as ImportSummary;
}

