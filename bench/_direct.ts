import { randomBytes } from 'node:crypto';
import { openBenchCity } from './lib';
import { pay, agentFromRow, flushSeals } from '../src/payments/service';
const N = Number(process.env.N ?? 2000), CL = Number(process.env.CL ?? 16);
const ctx = await openBenchCity(process.env.DATABASE_URL!, { poolSize: CL });
const row = await ctx.db.selectFrom('payment_agent').selectAll().where('code', '=', 'bench').executeTakeFirstOrThrow();
const agent = agentFromRow(1, row);
const keyId = (await ctx.db.selectFrom('agent_key').select('key_id').where('agent_id', '=', row.agent_id).executeTakeFirstOrThrow()).key_id;
const nums = (await ctx.db.selectFrom('unified_account').select('number').where('community_id', '=', 1).orderBy('premise_id').offset(20000).limit(N + 200).execute()).map((r) => r.number);
const run = randomBytes(4).toString('hex');
async function go(label: string, n: number, mode: string) {
  let next = 0; const t = performance.now();
  await Promise.all(Array.from({ length: CL }, async () => { while (next < n) { const i = next++; 
    if (mode === 'pay') await pay(ctx.db, agent, { txnId: `${run}-${label}-${i}`, unifiedAccount: nums[i]!, amount: 1000 + i }, new Date(), { keyId, nonce: `${run}-${label}-${i}` });
    else await ctx.db.selectFrom('community').select('community_id').limit(1).execute();
  } }));
  return (n / ((performance.now() - t) / 1000)).toFixed(0);
}
await go('w', 200, 'pay');
console.log('select1/s', await go('s', N, 'sel'));
console.log('pay/s', await go('p', N, 'pay'));
await flushSeals(ctx.db);
await ctx.handle.close();
