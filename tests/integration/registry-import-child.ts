// Run by payments-registry.test.ts in its own process (and killed with SIGKILL mid-way):
// node --import tsx registry-import-child.ts <database url> <agent id> <date> <file> [bulk:<rows per chunk>]
import { openDatabase } from '../../src/db/index';
import { importAgentRegistry } from '../../src/payments/registry';

const [url, agentId, date, file, mode] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const handle = await openDatabase({ url, poolSize: 2 });
const bulk = mode?.startsWith('bulk:') ? { bulkUrl: url, bulk: true, chunkRows: Number(mode.slice(5)) } : {};
await importAgentRegistry(handle.db, { communityId: 1, agentId: Number(agentId), code: 'post', name: 'post', maxAmount: 1_000_000_000 }, date, file, 'registry.csv', bulk);
await handle.close();
