import { randomInt } from "node:crypto";
import type { CodeGenerator, EmailSender, OutgoingEmail } from "@switchboard/core";
import nodemailer, { type Transporter } from "nodemailer";

/** Email over SMTP (nodemailer): to a real relay, or to the built-in development mailbox. */
export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(email: OutgoingEmail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      ...(email.html ? { html: email.html } : {}),
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** Uniformly random digit codes from the operating system's CSPRNG. */
export const randomCodes: CodeGenerator = {
  code: (digits) => Array.from({ length: digits }, () => randomInt(10)).join(""),
};
