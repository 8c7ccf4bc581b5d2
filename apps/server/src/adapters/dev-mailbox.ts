import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface MailboxMessage {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly receivedAt: string;
}

const KEEP = 200;

/**
 * A development mailbox: a real SMTP server on loopback that keeps the last messages in memory, so the
 * embedded default sends real email without any outside server. Its page is /dev/mailbox.
 */
export class DevMailbox {
  private readonly messages: MailboxMessage[] = [];
  private nextId = 1;
  private readonly server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      size: 1024 * 1024,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
            this.messages.unshift({
              id: this.nextId++,
              from: mail.from?.text ?? "",
              to,
              subject: mail.subject ?? "",
              text: mail.text ?? "",
              receivedAt: new Date().toISOString(),
            });
            this.messages.length = Math.min(this.messages.length, KEEP);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  /** Starts listening on 127.0.0.1; returns the SMTP url to send to. */
  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${address.port}`;
  }

  /** Newest first. */
  list(): readonly MailboxMessage[] {
    return this.messages;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
