/**
 * Outgoing e-mail through nodemailer, configured from the environment (SMTP_URL, e.g.
 * smtp://127.0.0.1:2525, and MAIL_FROM). Generic: e-bills use it, and the residents' portal will
 * for its sign-up links. Without SMTP_URL there is no transport and callers say so.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerOptions {
  url: string;
  from: string;
  /** The local test server's certificate is expired (stack-notes): tests send without STARTTLS. */
  ignoreTLS?: boolean;
}

export function createMailer(options: MailerOptions): Mailer {
  const transport: Transporter = nodemailer.createTransport(options.url, { from: options.from, ignoreTLS: options.ignoreTLS ?? false } as never);
  return {
    async send(message) {
      const info = await transport.sendMail({ ...message, from: options.from });
      return { messageId: String(info.messageId) };
    },
    close: () => transport.close(),
  };
}

/** The mailer of this process from SMTP_URL / MAIL_FROM, or null when e-mail is not configured. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | null {
  if (!env.SMTP_URL) return null;
  return createMailer({ url: env.SMTP_URL, from: env.MAIL_FROM ?? 'Hromada <no-reply@hromada.local>', ignoreTLS: env.SMTP_IGNORE_TLS === '1' });
}
