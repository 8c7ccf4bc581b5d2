#!/usr/bin/env node
// A real SMTP server on loopback for the browser tests: keeps what it receives and shows it as JSON over
// HTTP (GET /messages), so a test can read the one-time code the bot emailed.
// Usage: node e2e/support/smtp-sink.mjs <smtpPort> <httpPort>
import http from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const [smtpPort = "2526", httpPort = "2580"] = process.argv.slice(2);
const received = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
        received.push({ to, subject: mail.subject ?? "", text: mail.text ?? "", receivedAt: new Date().toISOString() });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(Number(smtpPort), "127.0.0.1");

http
  .createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(request.url === "/messages" ? received : { ok: true }));
  })
  .listen(Number(httpPort), "127.0.0.1");
