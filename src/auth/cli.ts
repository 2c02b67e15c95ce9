import readline from 'node:readline';
import type { Command } from 'commander';
import type { Role, OpenContext } from '../server/context';
import { createUser, premiseIdsForUnifiedAccounts, providerIdForEdrpou, ROLES } from './service';

/** `hromada user add --login … --role … [--provider EDRPOU] [--premise UNIFIED_ACCOUNT] [--name …] [--password …]` */
export function userCommands(program: Command, openContext: OpenContext): void {
  const user = program.command('user').description('Users of the platform / Користувачі');
  user
    .command('add')
    .description('Add a user (password from --password, HROMADA_PASSWORD, or asked for)')
    .requiredOption('--login <login>', 'sign-in name')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`)
    .option('--provider <edrpou>', 'provider role: the provider’s ЄДРПОУ')
    .option('--premise <number...>', 'resident role: unified account number(s) of their premises')
    .option('--name <display name>', 'name shown in the app')
    .option('--password <password>', 'password (prefer HROMADA_PASSWORD or the prompt: shells keep history)')
    .action(async (opts: { login: string; role: string; provider?: string; premise?: string[]; name?: string; password?: string }) => {
      const password = opts.password ?? process.env.HROMADA_PASSWORD ?? (await askHidden('Пароль / Password: '));
      const ctx = await openContext();
      try {
        const providerId = opts.provider ? await providerIdForEdrpou(ctx.db, ctx.communityId, opts.provider) : null;
        const premiseIds = opts.premise ? await premiseIdsForUnifiedAccounts(ctx.db, ctx.communityId, opts.premise) : [];
        const userId = await createUser(ctx.db, {
          communityId: ctx.communityId,
          login: opts.login,
          password,
          role: opts.role as Role,
          providerId,
          displayName: opts.name ?? opts.login,
          premiseIds,
        });
        console.log(`Користувача створено / User created: ${opts.login} (${opts.role}), id ${userId}`);
      } finally {
        await ctx.handle.close();
      }
    });
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('No password: pass --password, set HROMADA_PASSWORD, or run in a terminal');
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(question);
    output._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
