/**
 * Setting a community up without SQL:
 *   hromada community add --id 2 --name "Хмільницька громада" --katottg UA05120010010011234
 *   hromada provider add --community 2 --edrpou 32855961 --iban UA… --name "Водоканал"
 *   hromada service add --community 2 --code water --name-uk Водопостачання --name-en Water --unit м³ [--metered]
 * Each checks its fields (ЄДРПОУ check digit, IBAN, КАТОТТГ) as the web app does and says which
 * field is wrong.
 */
import type { Command } from 'commander';
import type { AppContext, SessionUser, OpenContext } from '../server/context';
import { createCommunity, createProvider, createService } from './service';

/** The CLI acts as the deployment's administrator for the chosen community. */
const cliActor = (communityId: number): SessionUser => ({ userId: 0, communityId, login: 'cli', displayName: 'CLI', role: 'admin', providerId: null });

async function withContext(openContext: OpenContext, run: (ctx: AppContext) => Promise<void>) {
  const ctx = await openContext();
  try {
    await run(ctx);
  } finally {
    await ctx.handle.close();
  }
}

const communityOf = (ctx: AppContext, option: string | undefined) => (option ? Number(option) : ctx.communityId);

export function registryCommands(program: Command, openContext: OpenContext): void {
  program
    .command('community')
    .description('Громади / communities')
    .command('add')
    .description('Add a community (then its address register: `hromada import - FILE --kind addresses --community ID`)')
    .requiredOption('--id <n>', 'community id (a positive whole number)')
    .requiredOption('--name <name>', 'name, e.g. «Вінницька міська громада»')
    .requiredOption('--katottg <code>', 'КАТОТТГ code: UA and 17 digits')
    .action((opts: { id: string; name: string; katottg: string }) =>
      withContext(openContext, async (ctx) => {
        const c = await createCommunity(ctx.db, { communityId: Number(opts.id), name: opts.name, katottg: opts.katottg });
        console.log(`Громаду створено / Community created: ${c.communityId} ${c.name} (${c.katottg})`);
      }),
    );

  program
    .command('provider')
    .description('Постачальники / providers')
    .command('add')
    .description('Add a provider (ЄДРПОУ, IBAN and name are checked)')
    .requiredOption('--edrpou <code>', 'ЄДРПОУ: 8 digits with a valid check digit')
    .requiredOption('--iban <iban>', 'Ukrainian IBAN of the provider’s account')
    .requiredOption('--name <name>', 'name')
    .option('--short-name <name>', 'short name for bills')
    .option('--community <id>', 'community id (default: the first)')
    .action((opts: { edrpou: string; iban: string; name: string; shortName?: string; community?: string }) =>
      withContext(openContext, async (ctx) => {
        const communityId = communityOf(ctx, opts.community);
        const p = await createProvider(ctx.db, cliActor(communityId), { edrpou: opts.edrpou, iban: opts.iban, name: opts.name, shortName: opts.shortName ?? null });
        console.log(`Постачальника створено / Provider created: ${p.providerId} ${p.name} (ЄДРПОУ ${p.edrpou})`);
      }),
    );

  program
    .command('service')
    .description('Послуги / services')
    .command('add')
    .description('Add a service to the catalogue')
    .requiredOption('--code <code>', 'code: lower-case Latin letters, digits and _ (e.g. water)')
    .requiredOption('--name-uk <name>', 'name in Ukrainian')
    .requiredOption('--name-en <name>', 'name in English')
    .requiredOption('--unit <unit>', 'unit, e.g. м³, кВт·год, м²')
    .option('--metered', 'billed by meter readings')
    .option('--community <id>', 'community id (default: the first)')
    .action((opts: { code: string; nameUk: string; nameEn: string; unit: string; metered?: boolean; community?: string }) =>
      withContext(openContext, async (ctx) => {
        const communityId = communityOf(ctx, opts.community);
        const s = await createService(ctx.db, cliActor(communityId), { code: opts.code, nameUk: opts.nameUk, nameEn: opts.nameEn, unit: opts.unit, metered: !!opts.metered });
        console.log(`Послугу створено / Service created: ${s.serviceId} ${s.code} (${s.nameUk})`);
      }),
    );
}
