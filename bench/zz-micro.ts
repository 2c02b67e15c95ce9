import { createHash, randomBytes } from 'node:crypto';
import { allocate } from '../src/payments/allocate';
import { canonicalPayment, chainHash, verificationCode } from '../src/payments/chain';
const N = 100_000;
const lines = Array.from({ length: 6 }, (_, i) => ({ accountId: 1000 + i, serviceCode: 's' + i, balance: 50000 + i * 777 }));
let t = performance.now();
const res: any[] = [];
for (let i = 0; i < N; i++) { const r = allocate(10000 + i % 5000, lines.map((l) => ({ accountId: l.accountId, serviceCode: l.serviceCode, toPay: Math.max(l.balance, 0) }))); res.push(r); }
console.log('allocate', (performance.now() - t).toFixed(0), 'ms');
t = performance.now(); let h = '0'.repeat(64); const d = new Date();
for (let i = 0; i < N; i++) { h = chainHash(h, canonicalPayment({ paymentId: i, agentId: 2, txnId: 'txn-' + i, premiseId: i, amount: 10000, paidAt: d, allocations: res[i].parts })); }
console.log('canonical+chain', (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
for (let i = 0; i < N; i++) createHash('sha256').update(JSON.stringify(['1234567890', 10000 + i, null, null])).digest('hex');
console.log('requestHash', (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
const random = randomBytes(6 * N).toString('hex'); for (let i = 0; i < N; i++) verificationCode(random.slice(12 * i, 12 * i + 12));
console.log('codes', (performance.now() - t).toFixed(0), 'ms');
