/**
 * The agent side of `bench:payments`, in a process of its own (as a bank's client would be): it
 * signs each pay call (agentHeaders) and sends it over HTTP on kept-alive connections, one per
 * client, and reports every call's latency and status to the benchmark that forked it.
 */
import http from 'node:http';
import { agentHeaders } from '../src/payments/signature';

export interface LoadOrder {
  port: number;
  keyId: string;
  secret: string;
  clients: number;
  /** The status every call should get (201 posted; 401 when signed with a wrong secret). */
  expectStatus: number;
  /** One request per entry: [txnId, unifiedAccount, amount]. */
  calls: Array<[string, string, number]>;
}

export interface LoadReport {
  seconds: number;
  /** The client process's CPU time during the load, in ms (user + system). */
  cpuMs: number;
  latencies: number[];
  failures: Array<{ status: number; body: string }>;
}

const PATH = '/api/agent/v1/pay';

function post(agent: http.Agent, port: number, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, path: PATH, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function load(order: LoadOrder): Promise<LoadReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: order.clients });
  const latencies: number[] = [];
  const failures: LoadReport['failures'] = [];
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: order.clients }, async () => {
      while (next < order.calls.length) {
        const [txnId, unifiedAccount, amount] = order.calls[next++]!;
        const body = JSON.stringify({ txnId, unifiedAccount, amount });
        const t0 = performance.now();
        const res = await post(agent, order.port, body, agentHeaders(order.keyId, order.secret, 'POST', PATH, body));
        latencies.push(performance.now() - t0);
        if (res.status !== order.expectStatus) failures.push(res);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { seconds, cpuMs: (cpu.user + cpu.system) / 1000, latencies, failures: failures.slice(0, 5) };
}

process.on('message', (order: LoadOrder) => {
  load(order).then(
    (report) => process.send!(report),
    (error: unknown) => process.send!({ seconds: 0, cpuMs: 0, latencies: [], failures: [{ status: 0, body: String(error) }] }),
  );
});
