import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSmtp, type LocalMailbox } from './local-server';
import { createMailer, mailerFromEnv } from './transport';

let box: LocalMailbox;
beforeAll(async () => {
  box = await startLocalSmtp();
});
afterAll(() => box.close());

describe('mailer over a real local SMTP server', () => {
  it('delivers a Ukrainian message with its attachment', async () => {
    const mailer = createMailer({ url: box.url, from: 'Громада <bills@hromada.local>', ignoreTLS: true });
    await mailer.send({
      to: 'olena@example.com',
      subject: 'Рахунок за листопад 2026',
      text: 'Ваш єдиний рахунок',
      html: '<p>Ваш єдиний рахунок</p>',
      attachments: [{ filename: 'bill.pdf', content: Buffer.from('%PDF-1.7 test'), contentType: 'application/pdf' }],
    });
    mailer.close();
    const mail = box.received.at(-1)!;
    expect(mail.subject).toBe('Рахунок за листопад 2026');
    expect(mail.text?.trim()).toBe('Ваш єдиний рахунок');
    expect(mail.attachments[0].filename).toBe('bill.pdf');
    expect(mail.attachments[0].content.toString()).toBe('%PDF-1.7 test');
  });

  it('a refused recipient is an error carrying the server reason', async () => {
    box.reject.add('gone@example.com');
    const mailer = createMailer({ url: box.url, from: 'bills@hromada.local', ignoreTLS: true });
    await expect(mailer.send({ to: 'gone@example.com', subject: 's', text: 't' })).rejects.toThrow(/550|unavailable/);
    mailer.close();
  });

  it('no SMTP_URL → no mailer', () => {
    expect(mailerFromEnv({})).toBeNull();
  });
});
