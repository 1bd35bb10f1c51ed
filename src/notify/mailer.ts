// Outgoing email over SMTP (nodemailer). One transport per process, built from the SMTP
// settings in Config; without settings there is no mailer and notifications stay in-app.
import { createTransport } from "nodemailer";

export interface SmtpSettings {
  /** smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps://… (TLS from the start). */
  url: string;
  /** The From header: an address or "Name <address>". */
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves when the SMTP server accepted the message; rejects on any failure. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /**
   * Upper bound for connecting, the greeting and each silent stretch of the session. Mail is
   * sent at the end of sync runs, so a dead SMTP server must not hold a worker for nodemailer's
   * default minutes.
   */
  timeoutMs?: number;
}

/** A nodemailer SMTP mailer, or null when SMTP is not configured. */
export function createMailer(smtp: SmtpSettings | null, options: MailerOptions = {}): Mailer | null {
  if (!smtp) return null;
  const timeout = options.timeoutMs ?? 15_000;
  const transport = createTransport(
    { url: smtp.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout },
    { from: smtp.from },
  );
  return {
    async send(message) {
      const info = await transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
      // A server may accept the session yet refuse this recipient; nodemailer reports that
      // in `rejected` rather than throwing when at least one recipient was accepted.
      if (info.rejected.length > 0) throw new Error(`The SMTP server refused the recipient ${message.to}.`);
    },
    close() {
      transport.close();
    },
  };
}
