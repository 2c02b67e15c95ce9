// Run by payments-registry.test.ts in its own process (and killed with SIGKILL mid-way):
// node --import tsx registry-import-child.ts <database url> <agent id> <date> <file>
import { openDatabase } from '../../src/db/index';
import { importAgentRegistry } from '../../src/payments/registry';

const [url, agentId, date, file] = process.argv.slice(2) as [string, string, string, string];
const handle = await openDatabase({ url, poolSize: 2 });
await importAgentRegistry(handle.db, { communityId: 1, agentId: Number(agentId), code: 'post', name: 'post', maxAmount: 1_000_000_000 }, date, file, 'registry.csv');
await handle.close();
