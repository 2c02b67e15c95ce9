import type { Command } from 'commander';
import type { OpenContext } from '../server/context';
import { exportSettlementDay } from './settlement';
import { chainProblemText, verifyPaymentsChain } from './service';

/** `hromada payments verify`, `hromada payments settle --date YYYY-MM-DD`. */
export function paymentsCommands(program: Command, openContext: OpenContext): void {
  const payments = program.command('payments').description('Платежі / payments, settlement, the hash chain');
  payments
    .command('verify')
    .description('Recompute the hash chain over payments, reversals and settlement registries; exit 1 naming the first record changed or removed')
    .action(async () => {
      const ctx = await openContext();
      try {
        const r = await verifyPaymentsChain(ctx.db, ctx.communityId);
        if (!r.problem) {
          console.log(`Ланцюжок цілий / chain intact: ${r.records} records`);
          return;
        }
        const text = chainProblemText(r.problem);
        console.error(`${text.uk} / ${text.en}`);
        process.exitCode = 1;
      } finally {
        await ctx.handle.close();
      }
    });
  payments
    .command('settle')
    .description("Export the settlement registries of a finished day, one per provider (a second export gives the same bytes)")
    .requiredOption('--date <YYYY-MM-DD>', 'the business day (Kyiv)')
    .action(async (opts: { date: string }) => {
      const ctx = await openContext();
      try {
        for (const r of await exportSettlementDay(ctx.db, ctx.communityId, opts.date)) {
          console.log(`registry ${r.registryId} provider ${r.providerId}: ${r.lines} lines, gross ${r.gross}, commission ${r.commission}, net ${r.net}${r.carriedIn ? `, carried in ${r.carriedIn}` : ''}, transfer ${r.transfer.amount} to ${r.transfer.iban}${r.carriedOut ? `, still owed ${-r.carriedOut}` : ''}`);
        }
      } finally {
        await ctx.handle.close();
      }
    });
}
