/**
 * The agent side of `bench:payments`, in a process of its own (as a bank's client would be). Every
 * pay call is signed (agentHeaders: its own nonce, the timestamp of the moment of signing) and
 * written out as its HTTP/1.1 request before the clock starts — the run lasts seconds, well inside
 * the ±300 s window — so the client's share of this machine's two cores goes on sending and
 * reading, as a load generator's should (a bank's client runs on the bank's machines, not ours).
 * Each client is one kept-alive TCP connection with one call at a time; the answer is read by its
 * status line and Content-Length. It reports every call's latency and status.
 */
import net from 'node:net';
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
const HEAD_END = Buffer.from('\r\n\r\n');

/** The signed request as it goes on the wire. */
function payRequestBytes(order: Pick<LoadOrder, 'port' | 'keyId' | 'secret'>, [txnId, unifiedAccount, amount]: [string, string, number]): Buffer {
  const body = JSON.stringify({ txnId, unifiedAccount, amount });
  const headers = agentHeaders(order.keyId, order.secret, 'POST', PATH, body);
  const lines = [`POST ${PATH} HTTP/1.1`, `host: 127.0.0.1:${order.port}`, 'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** One kept-alive connection: sends a request, resolves with the answer's status and body. */
function connection(port: number): Promise<{ send(request: Buffer): Promise<{ status: number; body: string }>; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let pending: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void } | null = null;
    let received: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = received.length ? Buffer.concat([received, chunk]) : chunk;
      const headEnd = received.indexOf(HEAD_END);
      if (headEnd < 0 || !pending) return;
      const head = received.subarray(0, headEnd).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!length) return pending.reject(new Error(`an answer without Content-Length: ${head}`));
      const end = headEnd + HEAD_END.length + Number(length[1]);
      if (received.length < end) return;
      const status = Number(head.slice(9, 12));
      const body = received.subarray(headEnd + HEAD_END.length, end).toString();
      received = received.subarray(end);
      const done = pending;
      pending = null;
      done.resolve({ status, body });
    });
    socket.on('error', (error) => (pending ? pending.reject(error) : reject(error)));
    socket.once('connect', () =>
      resolve({
        send: (request) =>
          new Promise((res, rej) => {
            pending = { resolve: res, reject: rej };
            socket.write(request);
          }),
        close: () => socket.destroy(),
      }),
    );
  });
}

async function load(order: LoadOrder): Promise<LoadReport> {
  const requests = order.calls.map((call) => payRequestBytes(order, call));
  const connections = await Promise.all(Array.from({ length: order.clients }, () => connection(order.port)));
  const latencies: number[] = [];
  const failures: LoadReport['failures'] = [];
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    connections.map(async (c) => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const t0 = performance.now();
        const res = await c.send(request);
        latencies.push(performance.now() - t0);
        if (res.status !== order.expectStatus) failures.push(res);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const c of connections) c.close();
  return { seconds, cpuMs: (cpu.user + cpu.system) / 1000, latencies, failures: failures.slice(0, 5) };
}

process.on('message', (order: LoadOrder) => {
  load(order).then(
    (report) => process.send!(report),
    (error: unknown) => process.send!({ seconds: 0, cpuMs: 0, latencies: [], failures: [{ status: 0, body: String(error) }] }),
  );
});
