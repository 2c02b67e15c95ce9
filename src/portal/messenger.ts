/**
 * How the portal reaches a resident: e-mail through the SMTP adapter (src/mail) when SMTP_URL is
 * set, and SMS through the SMS adapter. The demo and the tests have no SMS gateway, so the SMS
 * adapter (and e-mail without SMTP) writes to the local outbox table `portal_outbox`, which the
 * demo shows and the tests read.
 */
import type { DbOrTx } from '../db/index';
import type { Mailer } from '../mail/transport';
import { writeOutbox } from './repo';

export interface PortalMessage {
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  text: string;
}

export interface Messenger {
  send(db: DbOrTx, communityId: number, message: PortalMessage): Promise<void>;
}

export function messengerFor(mailer: Mailer | null): Messenger {
  return {
    async send(db, communityId, m) {
      if (m.channel === 'email' && mailer) {
        await mailer.send({ to: m.to, subject: m.subject, text: m.text });
        return;
      }
      await writeOutbox(db, { communityId, channel: m.channel, recipient: m.to, subject: m.subject, body: m.text });
    },
  };
}
