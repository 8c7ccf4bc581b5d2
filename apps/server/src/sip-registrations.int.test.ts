import { SipTestClient } from "@switchboard/telephony/testing";
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "../testing/call-checks.js";
import { DATABASES, type RunningServer, startSipServer } from "../testing/harness.js";
import { DEMO_PHONE } from "./demo/northwind.js";

/**
 * Phones' registrations are kept in the database: a phone registered before a restart rings after it,
 * without registering again. The server does not trust loopback here, so a second phone (the desk)
 * authenticates and dials the first one's extension.
 */
describe.each(DATABASES)("SIP registrations on %s", (kind) => {
  let running: RunningServer | undefined;
  const clients: SipTestClient[] = [];

  afterAll(async () => {
    for (const client of clients) await client.close();
    await running?.close();
  });

  it("survive a restart: the phone registered before it rings after it", async () => {
    running = await startSipServer({ sipTrustLoopback: "false" }, 40, kind);
    await running.admin.http.request({
      method: "POST",
      path: "/v1/sip-accounts",
      body: { username: "desk-1005", extension: "1005", password: "desk-phone-pw", displayName: "Desk" },
    });
    const agent = await SipTestClient.start();
    const desk = await SipTestClient.start();
    clients.push(agent, desk);
    const before = running.server.telephony?.port ?? 0;
    const registered = await agent.register(`sip:127.0.0.1:${before}`, {
      username: DEMO_PHONE.username,
      password: DEMO_PHONE.password,
      expires: 600,
    });
    expect(registered.ok).toBe(true);
    agent.acceptCalls({ manual: true });

    // A new server process on the same data directory and database (and another SIP port): the phone does not
    // register again (its next refresh is minutes away).
    running = await running.restart();
    const after = running.server.telephony?.port ?? 0;
    expect(after).not.toBe(before);

    const call = await desk.call(`sip:${DEMO_PHONE.extension}@127.0.0.1:${after}`, {
      credentials: { username: "desk-1005", password: "desk-phone-pw" },
    });
    const ringing = await eventually(() => agent.incomingLegs[0]);
    expect(ringing.from?.uri).toContain("1005");
    call.cancel();
    const outcome = await call.answered;
    expect(outcome?.ok === false ? outcome.status : 200).toBe(487);
    await expect(ringing.ended).resolves.toMatchObject({ cause: "cancel" });
    const server = running;
    const record = await eventually(async () => {
      const page = await server.admin.http.request<{ items: { state: string; to: string; result: string }[] }>({
        method: "GET",
        path: "/v1/calls",
      });
      return page.items[0]?.state === "ended" ? page.items[0] : undefined;
    });
    expect(record).toMatchObject({ to: DEMO_PHONE.extension, result: "abandoned" });
  }, 60_000);
});
