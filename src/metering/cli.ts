import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { Command } from 'commander';
import type { SessionUser, OpenContext } from '../server/context';
import { invalid } from '../shared/errors';
import { kyivToday, parsePeriod } from '../shared/period';
import { computeConsumption } from './consumption';
import { submitReadingsBulk, type ReadingInput, type ReadingResult } from './service';
import { READING_CHANNELS, type ReadingChannel } from './tables';
import { seedCityMeters } from './seed';

const BATCH = 50_000;

/**
 * `hromada readings consumption --period 2026-11`   (re)fill meter_consumption for billing
 * `hromada readings demo-meters`   meters with four months of readings for a seeded city that has none
 * `hromada readings import FILE.csv [--channel provider_file] [--provider-id N]`
 *     CSV with a header naming meter_id or serial, read_on, value1[, value2, value3, external_ref];
 *     streamed in batches; prints totals and every row that was not accepted, with its reason.
 */
export function meteringCommands(program: Command, openContext: OpenContext): void {
  const readings = program.command('readings').description('Meter readings / Показники лічильників');

  readings
    .command('consumption')
    .description('Compute consumption per meter and zone for a period (what billing reads)')
    .requiredOption('--period <YYYY-MM>', 'the billing period')
    .action(async (opts: { period: string }) => {
      const period = parsePeriod(opts.period);
      if (!period.ok) throw invalid('invalid_period', period.reason, { field: '--period' });
      const ctx = await openContext();
      try {
        const summary = await computeConsumption(ctx.db, ctx.communityId, period.value);
        console.log(`Споживання за ${summary.period.slice(0, 7)} / consumption for ${summary.period.slice(0, 7)}: ${summary.rows} rows, ${summary.estimated} estimated`);
      } finally {
        await ctx.handle.close();
      }
    });

  readings
    .command('demo-meters')
    .description('Give a seeded city its meters with four months of readings (only if it has no meters)')
    .action(async () => {
      const ctx = await openContext();
      try {
        const made = await seedCityMeters(ctx.db, ctx.communityId, kyivToday());
        console.log(
          made
            ? `Лічильників створено / meters created: ${made}, with their readings`
            : 'Лічильники в громаді вже є: нічого не змінено / the community has meters already: nothing changed',
        );
      } finally {
        await ctx.handle.close();
      }
    });

  readings
    .command('import <file>')
    .description('Import a CSV file of readings (each row validated; rejected rows are listed with the reason)')
    .option('--channel <channel>', `one of: ${READING_CHANNELS.join(', ')}`, 'provider_file')
    .option('--provider-id <n>', 'act as this provider (only its meters are taken)')
    .action(async (file: string, opts: { channel: string; providerId?: string }) => {
      if (!(READING_CHANNELS as readonly string[]).includes(opts.channel)) {
        throw invalid('invalid_channel', { uk: `Невідомий канал --channel ${opts.channel}`, en: `Unknown --channel ${opts.channel}` });
      }
      const ctx = await openContext();
      try {
        const providerId = opts.providerId ? Number(opts.providerId) : null;
        const actor: SessionUser = {
          userId: 0,
          communityId: ctx.communityId,
          login: 'cli',
          displayName: 'CLI',
          role: providerId ? 'provider' : 'operator',
          providerId,
        };
        const totals = { rows: 0, accepted: 0, needs_review: 0, rejected: 0, duplicates: 0 };
        const report = (batch: ReadingResult[], firstLine: number) => {
          for (const r of batch) {
            totals.rows++;
            if (r.duplicate) totals.duplicates++;
            else totals[r.status]++;
            if (r.status !== 'accepted') console.log(`рядок / row ${firstLine + r.row}: ${r.status}: ${r.message_uk} / ${r.message_en}`);
          }
        };
        let batch: ReadingInput[] = [];
        let firstLine = 2; // line 1 is the header
        const parser = fs.createReadStream(file).pipe(parse({ columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), delimiter: [',', ';'], trim: true, bom: true, skip_empty_lines: true }));
        for await (const record of parser as AsyncIterable<Record<string, string>>) {
          batch.push({
            ...(record.meter_id ? { meterId: Number(record.meter_id) } : {}),
            ...(record.serial ? { serial: record.serial } : {}),
            ...(record.service ? { serviceCode: record.service } : {}),
            ...(record.read_on ? { readOn: record.read_on } : {}),
            values: [record.value1, record.value2, record.value3].filter((v): v is string => v !== undefined && v !== ''),
            ...(record.external_ref ? { externalRef: record.external_ref } : {}),
          });
          if (batch.length === BATCH) {
            report(await submitReadingsBulk(ctx.db, actor, batch, { channel: opts.channel as ReadingChannel, source: file }), firstLine);
            firstLine += batch.length;
            batch = [];
          }
        }
        if (batch.length) report(await submitReadingsBulk(ctx.db, actor, batch, { channel: opts.channel as ReadingChannel, source: file }), firstLine);
        console.log(
          `Рядків / rows ${totals.rows}: прийнято / accepted ${totals.accepted}, на перевірці / in review ${totals.needs_review}, ` +
            `відхилено / rejected ${totals.rejected}, повтори / duplicates ${totals.duplicates}`,
        );
      } finally {
        await ctx.handle.close();
      }
    });
}
