import type { FastifyPluginAsync } from "fastify";
import type { DevMailbox } from "../../adapters/dev-mailbox.js";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The development mailbox's page: the email the embedded default "sent", newest first. */
export const devMailboxRoutes =
  (mailbox: DevMailbox): FastifyPluginAsync =>
  async (app) => {
    app.get("/dev/mailbox/messages", { schema: { hide: true } }, async () => ({ items: mailbox.list() }));
    app.get("/dev/mailbox", { schema: { hide: true } }, async (_request, reply) => {
      const items = mailbox
        .list()
        .map(
          (m) =>
            `<article><header><strong>${escapeHtml(m.subject)}</strong><span>${escapeHtml(m.receivedAt)}</span></header>` +
            `<p class="meta">From ${escapeHtml(m.from)} to ${escapeHtml(m.to)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
        )
        .join("");
      return reply.type("text/html; charset=utf-8").send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="5">
<title>Development mailbox · Switchboard</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1c2430}main{max-width:760px;margin:0 auto;padding:24px}
h1{font-size:20px}article{background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:14px 18px;margin:12px 0}
header{display:flex;justify-content:space-between;gap:12px}header span,.meta{color:#5b6675;font-size:13px}pre{white-space:pre-wrap;font:inherit}</style>
</head><body><main><h1>Development mailbox</h1><p class="meta">Email sent by this Switchboard while no SMTP server is configured
(<code>SWITCHBOARD_SMTP_URL</code>). The page refreshes every 5 seconds.</p>${items || "<p>No email yet.</p>"}</main></body></html>`);
    });
  };
