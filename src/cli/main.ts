import { Command } from 'commander';
import { defaultOptions, openDatabase } from '../db/index';
import { migrateToLatest } from '../db/migrate';
import { cliCommands } from './commands';
import { serve } from './serve';
import { openContext } from '../server/start';

const program = new Command('hromada')
  .description('Hromada — єдиний рахунок громади / unified utility bill for a community')
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the web app and API (PORT, HOST; DATABASE_URL or the embedded database in ./data)')
  .action(serve);

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const handle = await openDatabase(defaultOptions());
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    await handle.close();
  });

for (const add of cliCommands) add(program, openContext);

program.parseAsync(process.argv).catch((err: Error & { messages?: { uk: string; en: string } }) => {
  console.error(err.messages ? `${err.messages.uk}\n${err.messages.en}` : (err.stack ?? err.message));
  process.exit(1);
});
