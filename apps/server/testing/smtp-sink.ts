import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** A real SMTP server on loopback that keeps what it receives: where tests read the codes the bot sends. */
export async function startSmtpSink(): Promise<{ url: string; received: ReceivedEmail[]; close(): Promise<void> }> {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
          received.push({ to, subject: mail.subject ?? "", text: mail.text ?? "" });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The 6-digit code in the newest email to the address. */
export function codeSentTo(received: readonly ReceivedEmail[], address: string): string | undefined {
  const email = [...received].reverse().find((m) => m.to.includes(address));
  return email?.text.match(/\b(\d{6})\b/)?.[1];
}
