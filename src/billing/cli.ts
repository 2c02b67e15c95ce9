import type { Command } from 'commander';
import type { OpenContext } from '../server/context';
import { invalid } from '../shared/errors';
import { parsePeriod } from '../shared/period';
import { formatUah } from '../shared/money';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB } from './jobs';
import { seedDemoTariffs } from './demo';
import { loadSettings } from './run';
import { runOutliers, runSummary } from './run-report';

function periodOption(text: string): string {
  const r = parsePeriod(text);
  if (!r.ok) throw invalid('invalid_period', { uk: `--period: ${r.reason.uk}`, en: `--period: ${r.reason.en}` });
  return r.value;
}

const printProgress = (done: number, total: number | null, message?: string) =>
  console.log(`billing: ${done}/${total ?? '?'} ${message ?? ''}`);

/** `hromada billing run|close --period 2026-11`, `hromada billing demo-tariffs`. */
export function billingCommands(program: Command, openContext: OpenContext): void {
  const billing = program.command('billing').description('Нарахування / billing runs, periods, tariffs');
  billing
    .command('run')
    .description('Calculate a period (repeatable until it is closed); prints the summary and outliers')
    .requiredOption('--period <YYYY-MM>', 'billing period, e.g. 2026-11')
    .action(async (opts: { period: string }) => {
      const period = periodOption(opts.period);
      const ctx = await openContext();
      try {
        const tariff = await ctx.db.selectFrom('tariff').select('tariff_id').where('community_id', '=', ctx.communityId).limit(1).executeTakeFirst();
        if (!tariff) {
          console.log('Тарифів немає: нараховувати нічого / no tariffs, nothing to charge. For the demo city: hromada billing demo-tariffs');
        }
        const started = Date.now();
        const { result } = await ctx.jobs.runNow(ctx.communityId, BILLING_RUN_JOB, { period }, printProgress);
        const r = result as { billingRunId: number; lines: number };
        console.log(`Run ${r.billingRunId}: ${r.lines} lines in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        for (const s of await runSummary(ctx.db, ctx.communityId, r.billingRunId, period)) {
          const change = s.previous_charged ? ` (${(((Number(s.charged) - Number(s.previous_charged)) * 100) / Number(s.previous_charged)).toFixed(1)} % vs previous month)` : '';
          const estimated = Number(s.estimated) ? `, of it ${formatUah(Number(s.estimated))} on estimated volumes` : '';
          console.log(`  ${s.service} — ${s.provider}: ${s.accounts} accounts, ${formatUah(Number(s.charged))}${estimated}${change}`);
        }
        const settings = await loadSettings(ctx.db, ctx.communityId);
        const outliers = await runOutliers(ctx.db, ctx.communityId, r.billingRunId, period, settings.outlierFactor, 20);
        if (outliers.length) console.log(`Outliers (> ${settings.outlierFactor}× usual), first ${outliers.length}:`);
        for (const o of outliers) console.log(`  ${o.number} ${o.service} ${o.address}: ${formatUah(o.charged)} vs usual ${formatUah(o.usual)}`);
      } finally {
        await ctx.handle.close();
      }
    });
  billing
    .command('close')
    .description('Close a calculated period: post its charges to the ledger; it can never change again')
    .requiredOption('--period <YYYY-MM>', 'billing period, e.g. 2026-11')
    .action(async (opts: { period: string }) => {
      const period = periodOption(opts.period);
      const ctx = await openContext();
      try {
        const { result } = await ctx.jobs.runNow(ctx.communityId, BILLING_CLOSE_JOB, { period }, printProgress);
        const r = result as { posted: number };
        console.log(`Період ${period.slice(0, 7)} закрито / closed: ${r.posted} ledger entries posted.`);
      } finally {
        await ctx.handle.close();
      }
    });
  billing
    .command('demo-tariffs')
    .description('Create demo tariffs for every service and provider of the community that has none')
    .action(async () => {
      const ctx = await openContext();
      try {
        const n = await seedDemoTariffs(ctx.db, ctx.communityId);
        console.log(`Demo tariffs created: ${n}`);
      } finally {
        await ctx.handle.close();
      }
    });
}
