/**
 * A small local SMTP server (smtp-server) that keeps what arrives, parsed by mailparser: the
 * demo's mailbox and the tests' real counterpart of the SMTP adapter. Not for production.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface LocalMailbox {
  url: string;
  port: number;
  received: ParsedMail[];
  /** Recipients for which the server answers 550 (to exercise failures and retries). */
  reject: Set<string>;
  close(): Promise<void>;
}

export async function startLocalSmtp(port = 0, host = '127.0.0.1'): Promise<LocalMailbox> {
  const received: ParsedMail[] = [];
  const reject = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (reject.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${actual}`,
    port: actual,
    received,
    reject,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
