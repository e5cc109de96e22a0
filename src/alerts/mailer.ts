import nodemailer from 'nodemailer';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
}

/** Sends mail through SMTP_URL; without one, sending is an error that names the setting. */
export interface Mailer {
  send(mail: Mail): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) {
    return {
      send: async () => {
        throw new Error('SMTP_URL is not set: no email can be sent');
      },
      close: () => undefined,
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, attachments: mail.attachments });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
