/**
 * `hromada import <provider> <file> --kind accounts [--profile NAME|FILE.json] [--dry-run] [--report out.csv]`
 * and `hromada import-resume <jobId>`. The provider is named by its ЄДРПОУ or its id (for the
 * address register: `-`).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { OpenContext } from '../server/context';
import type { DbOrTx } from '../db/index';
import { AppError, invalid } from '../shared/errors';
import { FILE_KINDS, type FileKind, type ProfileInput } from './profile';
import { runImportNow, type ImportSummary } from './service';
import { findProfileByName } from './profiles';
import { writeReportCsv, writeReportXlsx } from './report-file';
import { IMPORT_JOB } from './service';

async function providerIdOf(db: DbOrTx, communityId: number, ref: string): Promise<number | null> {
  if (ref === '-' || ref === '') return null;
  const byCode = await db
    .selectFrom('provider')
    .select('provider_id')
    .where('community_id', '=', communityId)
    .where((eb) => (/^\d{8}$/.test(ref) ? eb('edrpou', '=', ref) : eb('provider_id', '=', Number(ref) || -1)))
    .executeTakeFirst();
  if (!byCode) throw invalid('unknown_provider', { uk: `Постачальника «${ref}» не знайдено (ЄДРПОУ або номер)`, en: `Provider "${ref}" not found (ЄДРПОУ or id)` });
  return byCode.provider_id;
}

/** A profile from a JSON file, or a saved one by name. */
async function loadProfile(db: DbOrTx, communityId: number, ref: string | undefined): Promise<ProfileInput | Record<string, never>> {
  if (!ref) return {};
  if (ref.endsWith('.json') || fs.existsSync(ref)) {
    try {
      return JSON.parse(fs.readFileSync(ref, 'utf8'));
    } catch (err) {
      throw invalid('bad_profile', { uk: `Профіль «${ref}» не прочитано: ${(err as Error).message}`, en: `Profile "${ref}" cannot be read: ${(err as Error).message}` });
    }
  }
  const saved = await findProfileByName(db, communityId, ref);
  if (!saved) throw invalid('unknown_profile', { uk: `Профіль «${ref}» не знайдено`, en: `Profile "${ref}" not found` });
  return saved.settings as ProfileInput;
}

function printSummary(summary: ImportSummary) {
  console.log(`${summary.message.uk}\n${summary.message.en}`);
  console.log(JSON.stringify({ importId: summary.importId, status: summary.status, dryRun: summary.dryRun, ...summary.counters }));
}

export function importCommands(program: Command, openContext: OpenContext) {
  program
    .command('import')
    .description('Імпорт файлу постачальника / import a provider file (CSV, XLSX, DBF)')
    .argument('<provider>', 'ЄДРПОУ or id of the provider; "-" for the address register')
    .argument('<file>', 'the file')
    .requiredOption('--kind <kind>', `file kind: ${FILE_KINDS.join(', ')}`)
    .option('--profile <profile>', 'a saved profile name or a profile JSON file')
    .option('--dry-run', 'match and report, change nothing')
    .option('--report <file>', 'write the per-row report (.csv or .xlsx)')
    .option('--community <id>', 'community id (default: the first)')
    .action(async (providerRef: string, file: string, opts: { kind: string; profile?: string; dryRun?: boolean; report?: string; community?: string }) => {
      if (!(FILE_KINDS as readonly string[]).includes(opts.kind)) {
        throw invalid('bad_kind', { uk: `Невідомий вид файлу «${opts.kind}»`, en: `Unknown file kind "${opts.kind}"` });
      }
      const ctx = await openContext();
      try {
        const communityId = opts.community ? Number(opts.community) : ctx.communityId;
        const providerId = await providerIdOf(ctx.db, communityId, providerRef);
        const settings = await loadProfile(ctx.db, communityId, opts.profile);
        let last = 0;
        const summary = await runImportNow(
          ctx,
          { communityId, providerId, kind: opts.kind as FileKind, filePath: file, settings: { ...settings, kind: opts.kind as FileKind }, dryRun: !!opts.dryRun },
          (done, _total, message) => {
            if (Date.now() - last > 1000) {
              last = Date.now();
              process.stderr.write(`${message ?? ''} ${done ? done : ''}\n`);
            }
          },
        );
        printSummary(summary);
        if (opts.report) {
          const scope = { communityId, importId: summary.sameAs ?? summary.importId };
          const n = opts.report.toLowerCase().endsWith('.xlsx') ? await writeReportXlsx(ctx.db, scope, opts.report) : await writeReportCsv(ctx.db, scope, opts.report);
          console.log(`Звіт / report: ${opts.report} (${n} рядків / rows)`);
        }
      } finally {
        await ctx.handle.close();
      }
    });

  program
    .command('import-resume')
    .description('Продовжити перерваний імпорт / resume an interrupted import job')
    .argument('<jobId>', 'the job id')
    .option('--community <id>', 'community id (default: the first)')
    .action(async (jobId: string, opts: { community?: string }) => {
      const ctx = await openContext();
      try {
        const communityId = opts.community ? Number(opts.community) : ctx.communityId;
        const job = await ctx.db.selectFrom('job').select('kind').where('community_id', '=', communityId).where('job_id', '=', Number(jobId)).executeTakeFirst();
        if (!job || job.kind !== IMPORT_JOB) throw new AppError('not_found', 404, { uk: `Задачу імпорту ${jobId} не знайдено`, en: `Import job ${jobId} not found` });
        printSummary((await ctx.jobs.resume(communityId, Number(jobId))) as ImportSummary);
      } finally {
        await ctx.handle.close();
      }
    });
}
