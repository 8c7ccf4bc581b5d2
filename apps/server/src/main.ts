#!/usr/bin/env node
import { buildServer } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { DEMO_NUMBER, DEMO_PHONE } from "./demo/northwind.js";

/** `npm start`: runs Switchboard on its embedded default (SQLite under ./data) unless configured otherwise. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const server = await buildServer(config);
  const address = await server.app.listen({ host: config.host, port: config.port });
  const port = Number(new URL(address).port);
  const base = (config.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, "");

  const lines = [
    "",
    `Switchboard is running on ${server.store.dialect === "sqlite" ? "SQLite (embedded)" : "PostgreSQL"}.`,
    "",
    `  API docs        ${base}/docs`,
    `  OpenAPI         ${base}/openapi.json`,
    `  Real-time       ${base.replace(/^http/, "ws")}/v1/realtime`,
    `  Health          ${base}/healthz   ${base}/readyz   ${base}/metrics`,
    `  Demo website    ${base}/demo   (the customer chat widget, answered by the bot)`,
    `  Admin console   ${base}/admin/`,
    `  Agent desktop   ${base}/agent/   (sign in, set yourself Available, then ask for a person in the widget)`,
    `  Supervisor      ${base}/supervisor/`,
  ];
  if (server.telephony && config.seedDemo) {
    const sip = `${config.sipPublicAddress ?? "127.0.0.1"}:${server.telephony.port}`;
    lines.push(
      `  Phone (SIP)     sip:${DEMO_NUMBER}@${sip}   (UDP and TCP; RTP ports ${config.rtpPorts.min}-${config.rtpPorts.max})`,
      `                  the demo number: keys are read back, * records and plays back, 0 rings extension ${DEMO_PHONE.extension}`,
      `  Agent's phone   register ${DEMO_PHONE.username} / ${DEMO_PHONE.password} at ${sip} (realm ${config.sipRealm})`,
    );
  }
  if (server.domain.mailbox) lines.push(`  Dev mailbox     ${base}/dev/mailbox   (email the bot sends, e.g. verification codes)`);
  if (server.bootstrapped) {
    const b = server.bootstrapped;
    lines.push(
      "",
      `Created the demo tenant "${b.tenant.slug}". Shown once, keep them:`,
      `  Admin API key   ${b.apiKey}`,
      `  Admin sign-in   tenant ${b.tenant.slug}, ${b.adminEmail}, password ${b.adminPassword}`,
      "",
      "Try it:",
      `  curl -s -X POST ${base}/v1/identities -H 'Authorization: Bearer ${b.apiKey}' -H 'content-type: application/json' -d '{"displayName":"Ada"}'`,
    );
  }
  console.log(lines.join("\n"));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, "shutting down");
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
