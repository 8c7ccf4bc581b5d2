import type { AutoAttendant, AutoAttendantInput, Mailbox, VoicemailMessage } from "@switchboard/protocol";
import { type SwitchboardClient, SwitchboardError } from "@switchboard/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";

/** The status, code and fields at fault of a rejected SDK call. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok" as const,
    (e: unknown) =>
      e instanceof SwitchboardError ? { status: e.status, code: e.code, fields: e.errors.map((f) => f.field) } : String(e),
  );

const PIN = "462819";

describe.each(DATABASES)("call flows API on %s", (database) => {
  let running: RunningServer;
  let admin: SwitchboardClient;
  /** Another tenant's admin. */
  let acme: SwitchboardClient;
  let tenantId: string;
  let salesQueueId: string;
  let agent: { id: string; client: SwitchboardClient };
  let otherAgent: { id: string; client: SwitchboardClient };
  /** Every response body this suite read through `raw`: none may carry a PIN or its hash. */
  const seen: string[] = [];

  const raw = async (path: string, token = running.apiKey) => {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    seen.push(text);
    return { status: response.status, text, type: response.headers.get("content-type") };
  };

  async function signedIn(role: "agent" | "supervisor") {
    const email = `${role}.${Math.random().toString(36).slice(2)}@demo.example`;
    const user = await admin.users.create({ email, displayName: role, role, password: "a long password" });
    const { token } = await running.client("").auth.signIn({ tenant: "demo", email, password: "a long password" });
    return { id: user.id, token, client: running.client(token) };
  }

  const attendant = (name: string, extra: Partial<AutoAttendantInput> = {}): AutoAttendantInput => ({
    name,
    schedule: {
      timeZone: "America/New_York",
      weekly: { "1": [["09:00", "17:00"]], "2": [["09:00", "17:00"]] },
      holidays: [{ date: "2026-12-25", name: "Christmas" }],
    },
    businessHours: {
      greeting: { kind: "speech", text: "Welcome to the demo company." },
      menu: {
        prompt: { kind: "speech", text: "For sales press 1. For more, press 2." },
        options: [
          { key: "1", phrases: ["sales"], action: { kind: "redirect", target: { kind: "queue", queueId: salesQueueId } } },
          {
            key: "2",
            action: {
              kind: "submenu",
              menu: {
                prompt: { kind: "speech", text: "To dial by name, press 9." },
                options: [
                  { key: "9", action: { kind: "dial_by_name" } },
                  { key: "*", action: { kind: "back" } },
                ],
              },
            },
          },
          { key: "0", action: { kind: "operator" } },
        ],
      },
    },
    afterHours: { greeting: { kind: "speech", text: "We are closed." }, target: { kind: "disconnect", message: "Goodbye." } },
    operator: { kind: "person", extension: "1001" },
    ...extra,
  });

  /** Leaves a voicemail message as the flow engine would: a recording on the call, then the message. */
  async function leaveMessage(mailboxId: string): Promise<VoicemailMessage> {
    const domain = running.server.domain;
    const audio = new Int16Array(4000).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
    const recording = await domain.recordings.save({ tenantId, audio, callId: "call-1" });
    const message = await domain.flows.voicemail.addMessage({
      id: `vm-${Math.random().toString(36).slice(2)}`,
      tenantId,
      mailboxId,
      callId: "call-1",
      caller: "+15550123",
      recordingId: recording.id,
      durationMs: recording.durationMs,
      transcript: null,
      heard: false,
      createdAt: new Date(),
    });
    return running.admin.mailboxes.getMessage(message.id);
  }

  beforeAll(async () => {
    running = await startServer(database);
    admin = running.admin;
    const created = await running.platform.tenants.create({ slug: "acme", name: "Acme" });
    acme = running.client(created.apiKey.key);
    tenantId = (await admin.tenants.current()).id;
    salesQueueId = (await admin.queues.create({ name: `flows sales ${database}` })).id;
    agent = await signedIn("agent");
    otherAgent = await signedIn("agent");
  });
  afterAll(async () => {
    await running?.close();
  });

  describe("auto attendants", () => {
    it("are created, read, listed, published as new versions and deleted", async () => {
      const v1 = await admin.autoAttendants.create(attendant("Main line"));
      expect(v1).toMatchObject({
        name: "Main line",
        version: 1,
        voice: null,
        holiday: null,
        speechInput: false,
        noInput: { retries: 2, target: { kind: "disconnect" } },
        businessHours: { menu: { options: [{ key: "1", phrases: ["sales"] }, { key: "2", phrases: [] }, { key: "0" }] } },
        afterHours: { menu: null, target: { kind: "disconnect", message: "Goodbye." } },
      });
      expect(await admin.autoAttendants.get(v1.id)).toEqual(v1);
      expect((await admin.autoAttendants.list()).map((a) => a.id)).toContain(v1.id);

      const v2 = await admin.autoAttendants.publish(v1.id, {
        ...attendant("Main line", { speechInput: true, voice: "en-us+f3" }),
        expectedVersion: 1,
      });
      expect(v2).toMatchObject({ id: v1.id, version: 2, speechInput: true, voice: "en-us+f3", createdAt: v1.createdAt });
      expect(await admin.autoAttendants.get(v1.id)).toEqual(v2);
      expect(await admin.autoAttendants.version(v1.id, 1)).toEqual(v1);
      expect(await admin.autoAttendants.version(v1.id, 2)).toEqual(v2);
      expect(await failureOf(admin.autoAttendants.version(v1.id, 3))).toMatchObject({
        status: 404,
        code: "auto_attendant.version_not_found",
      });

      // Another admin's change, made from version 1, comes too late.
      expect(await failureOf(admin.autoAttendants.publish(v1.id, { ...attendant("Stale"), expectedVersion: 1 }))).toMatchObject({
        status: 409,
        code: "auto_attendant.version_conflict",
      });
      expect((await admin.autoAttendants.get(v1.id)).version).toBe(2);
      // Without an expected version, the latest is changed.
      expect((await admin.autoAttendants.publish(v1.id, attendant("Main line"))).version).toBe(3);

      await admin.autoAttendants.delete(v1.id);
      expect(await failureOf(admin.autoAttendants.get(v1.id))).toMatchObject({ status: 404, code: "auto_attendant.not_found" });
      expect(await failureOf(admin.autoAttendants.version(v1.id, 1))).toMatchObject({ status: 404 });
      expect(await failureOf(admin.autoAttendants.delete(v1.id))).toMatchObject({ status: 404 });
    });

    it("refuses an invalid attendant, naming the fields at fault", async () => {
      const base = attendant("Invalid");
      const menu = base.businessHours.menu;
      if (!menu) throw new Error("no menu");
      const duplicateKey = {
        ...base,
        businessHours: {
          ...base.businessHours,
          menu: { ...menu, options: [...menu.options, { key: "1" as const, action: { kind: "repeat" as const } }] },
        },
      };
      expect(await failureOf(admin.autoAttendants.create(duplicateKey))).toEqual({
        status: 400,
        code: "auto_attendant.invalid",
        fields: ["businessHours.menu.options.3.key"],
      });
      expect(
        await failureOf(
          admin.autoAttendants.create(
            attendant("Invalid", {
              schedule: { timeZone: "Mars/Olympus", weekly: { "1": [["17:00", "09:00"]] }, holidays: [{ date: "2026-02-30" }] },
              operator: { kind: "queue", queueId: "no-such-queue" },
              afterHours: { greeting: null, menu: null, target: null },
            }),
          ),
        ),
      ).toEqual({
        status: 400,
        code: "auto_attendant.invalid",
        fields: ["schedule.timeZone", "schedule.weekly.1.0", "schedule.holidays.0.date", "afterHours"],
      });
      expect(
        await failureOf(admin.autoAttendants.create(attendant("Invalid", { operator: { kind: "queue", queueId: "nope" } }))),
      ).toEqual({
        status: 400,
        code: "auto_attendant.invalid",
        fields: ["operator.queueId"],
      });
      // A key that is not a keypad key never reaches the core.
      const badKey = { ...base, businessHours: { menu: { ...menu, options: [{ key: "A", action: { kind: "repeat" } }] } } };
      expect(await failureOf(admin.autoAttendants.create(badKey as unknown as AutoAttendantInput))).toMatchObject({
        status: 400,
        code: "request.invalid",
        fields: ["body.businessHours.menu.options.0.key"],
      });
      expect((await admin.autoAttendants.list()).map((a) => a.name)).not.toContain("Invalid");
    });

    it("refuses a second attendant of the same name, and the deletion of one that receives calls", async () => {
      const target = await admin.autoAttendants.create(attendant("After hours line"));
      expect(await failureOf(admin.autoAttendants.create(attendant("After hours line")))).toMatchObject({
        status: 409,
        code: "auto_attendant.name_taken",
      });
      const front = await admin.autoAttendants.create(
        attendant("Front desk", { afterHours: { target: { kind: "auto_attendant", autoAttendantId: target.id } } }),
      );
      expect(await failureOf(admin.autoAttendants.delete(target.id))).toMatchObject({
        status: 409,
        code: "auto_attendant.in_use",
      });
      await admin.autoAttendants.delete(front.id);
      await admin.autoAttendants.delete(target.id);
    });

    it("are for admins only", async () => {
      const existing = await admin.autoAttendants.create(attendant("Admins only"));
      for (const call of [
        () => agent.client.autoAttendants.list(),
        () => agent.client.autoAttendants.get(existing.id),
        () => agent.client.autoAttendants.create(attendant("By an agent")),
        () => agent.client.autoAttendants.publish(existing.id, attendant("By an agent")),
        () => agent.client.autoAttendants.delete(existing.id),
      ]) {
        expect(await failureOf(call())).toMatchObject({ status: 403, code: "auth.admin_required" });
      }
      expect(await admin.autoAttendants.get(existing.id)).toEqual(existing);
    });
  });

  describe("mailboxes and voicemail messages", () => {
    let personal: Mailbox;
    let shared: Mailbox;
    let message: VoicemailMessage;

    beforeAll(async () => {
      personal = await admin.mailboxes.create({ name: "Agent's mailbox", ownerUserId: agent.id, pin: PIN });
      shared = await admin.mailboxes.create({ name: "Sales voicemail", notifyEmails: ["sales@demo.example"] });
      message = await leaveMessage(personal.id);
    });

    it("are created, read, listed, changed and deleted; the PIN never comes back", async () => {
      expect(personal).toMatchObject({ ownerUserId: agent.id, hasPin: true, maxMessageSeconds: 120, greeting: null });
      expect(shared).toMatchObject({ ownerUserId: null, hasPin: false, notifyEmails: ["sales@demo.example"] });
      expect(await admin.mailboxes.get(personal.id)).toEqual(personal);
      expect((await admin.mailboxes.list()).map((m) => m.id)).toEqual(expect.arrayContaining([personal.id, shared.id]));

      const changed = await admin.mailboxes.update(shared.id, {
        greeting: { kind: "speech", text: "Sales here." },
        maxMessageSeconds: 300,
        pin: "1234",
      });
      expect(changed).toMatchObject({
        name: "Sales voicemail",
        hasPin: true,
        maxMessageSeconds: 300,
        greeting: { text: "Sales here." },
      });
      expect(await admin.mailboxes.update(shared.id, { pin: null })).toMatchObject({ hasPin: false });

      const temporary = await admin.mailboxes.create({ name: "Temporary" });
      const left = await leaveMessage(temporary.id);
      expect((await admin.recordings.audio(left.recordingId)).type).toBe("audio/wav");
      await admin.mailboxes.delete(temporary.id);
      expect(await failureOf(admin.mailboxes.get(temporary.id))).toMatchObject({ status: 404, code: "mailbox.not_found" });
      // The messages' audio went with the mailbox.
      expect(await failureOf(admin.recordings.audio(left.recordingId))).toMatchObject({
        status: 404,
        code: "recording.not_found",
      });

      seen.push(JSON.stringify([personal, shared, changed, await admin.mailboxes.list(), await agent.client.mailboxes.list()]));
      for (const path of ["/v1/mailboxes", `/v1/mailboxes/${personal.id}`]) {
        const reply = await raw(path);
        expect(reply.status).toBe(200);
      }
      const bodies = seen.join("\n");
      expect(bodies).not.toContain(PIN);
      expect(bodies).not.toMatch(/"pin(Hash)?"/);
      expect(bodies).not.toContain("scrypt");
    });

    it("refuses an invalid mailbox with the fields at fault, and a second personal mailbox", async () => {
      expect(
        await failureOf(
          admin.mailboxes.create({ name: "", pin: "12", notifyEmails: ["not an email"], ownerUserId: "no-such-user" }),
        ),
      ).toEqual({ status: 400, code: "mailbox.invalid", fields: ["name", "notifyEmails.0", "pin", "ownerUserId"] });
      expect(await failureOf(admin.mailboxes.create({ name: "Second", ownerUserId: agent.id }))).toMatchObject({
        status: 409,
        code: "mailbox.owner_taken",
      });
      expect(await failureOf(admin.mailboxes.create({ name: "Sales voicemail" }))).toMatchObject({
        status: 409,
        code: "mailbox.name_taken",
      });
    });

    it("keep messages that admins and the owner list, download, mark heard and delete", async () => {
      expect(message).toMatchObject({
        mailboxId: personal.id,
        caller: "+15550123",
        heard: false,
        transcript: null,
        durationMs: 500,
      });
      expect(await admin.mailboxes.messages(personal.id)).toEqual([message]);
      expect(await agent.client.mailboxes.list()).toEqual([await admin.mailboxes.get(personal.id)]);
      expect(await agent.client.mailboxes.messages(personal.id)).toEqual([message]);

      const audio = await agent.client.mailboxes.messageAudio(message.id);
      expect(audio.type).toBe("audio/wav");
      const bytes = new Uint8Array(await audio.arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe("RIFF");
      expect(new TextDecoder().decode(bytes.slice(8, 12))).toBe("WAVE");
      expect(bytes.length).toBe(44 + 4000 * 2);
      const download = await raw(`/v1/voicemail-messages/${message.id}/audio`);
      expect(download).toMatchObject({ status: 200, type: "audio/wav" });

      expect(await agent.client.mailboxes.markMessage(message.id, true)).toEqual({ ...message, heard: true });
      expect(await admin.mailboxes.getMessage(message.id)).toMatchObject({ heard: true });
      expect(await admin.mailboxes.markMessage(message.id, false)).toMatchObject({ heard: false });

      const second = await leaveMessage(personal.id);
      expect((await agent.client.mailboxes.messages(personal.id)).map((m) => m.id)).toEqual([message.id, second.id]);
      expect((await admin.recordings.audio(second.recordingId)).type).toBe("audio/wav");
      await agent.client.mailboxes.deleteMessage(second.id);
      expect(await failureOf(admin.mailboxes.getMessage(second.id))).toMatchObject({
        status: 404,
        code: "voicemail_message.not_found",
      });
      expect(await failureOf(admin.mailboxes.messageAudio(second.id))).toMatchObject({ status: 404 });
      // Its audio went with it: not even an admin downloads it by the recording's id.
      expect(await failureOf(admin.recordings.audio(second.recordingId))).toMatchObject({
        status: 404,
        code: "recording.not_found",
      });
      expect(await running.server.domain.recordings.wav(tenantId, second.recordingId)).toBeUndefined();
      expect(await running.server.domain.recordings.wav(tenantId, message.recordingId)).toBeDefined();
    });

    it("are not for other agents: another's mailbox and messages are not found, and only admins configure", async () => {
      expect(await otherAgent.client.mailboxes.list()).toEqual([]);
      expect(await failureOf(otherAgent.client.mailboxes.get(personal.id))).toMatchObject({
        status: 404,
        code: "mailbox.not_found",
      });
      expect(await failureOf(otherAgent.client.mailboxes.messages(personal.id))).toMatchObject({ status: 404 });
      expect(await failureOf(otherAgent.client.mailboxes.getMessage(message.id))).toMatchObject({ status: 404 });
      expect(await failureOf(otherAgent.client.mailboxes.messageAudio(message.id))).toMatchObject({ status: 404 });
      expect(await failureOf(otherAgent.client.mailboxes.markMessage(message.id, true))).toMatchObject({ status: 404 });
      expect(await failureOf(otherAgent.client.mailboxes.deleteMessage(message.id))).toMatchObject({ status: 404 });
      // A shared mailbox's messages are the admins'.
      expect(await failureOf(agent.client.mailboxes.messages(shared.id))).toMatchObject({ status: 404 });
      for (const call of [
        () => agent.client.mailboxes.create({ name: "Mine" }),
        () => agent.client.mailboxes.update(personal.id, { pin: "0000" }),
        () => agent.client.mailboxes.delete(personal.id),
      ]) {
        expect(await failureOf(call())).toMatchObject({ status: 403, code: "auth.admin_required" });
      }
      expect(await admin.mailboxes.messages(personal.id)).toHaveLength(1);
    });

    it("cannot be deleted while an attendant sends calls to them", async () => {
      const box = await admin.mailboxes.create({ name: "Referenced" });
      const aa = await admin.autoAttendants.create(
        attendant("Voicemail after hours", { afterHours: { target: { kind: "voicemail", mailboxId: box.id } } }),
      );
      expect(await failureOf(admin.mailboxes.delete(box.id))).toMatchObject({ status: 409, code: "mailbox.in_use" });
      await admin.autoAttendants.delete(aa.id);
      await admin.mailboxes.delete(box.id);
    });
  });

  describe("call queues", () => {
    it("keep what their callers hear, and send calls to attendants and mailboxes that exist", async () => {
      const aa = await admin.autoAttendants.create(attendant("Queue overflow"));
      const box = await admin.mailboxes.create({ name: "Queue voicemail" });
      const queue = await admin.queues.create({ name: `call queue ${database}` });
      expect(queue.call).toEqual({
        greeting: null,
        music: null,
        announceEverySeconds: 30,
        announcePosition: true,
        announceExpectedWait: true,
        conferenceMode: false,
        recording: { enabled: false, consent: null },
      });
      const call = {
        greeting: { kind: "speech" as const, text: "Thanks for calling." },
        music: null,
        announceEverySeconds: 60,
        announcePosition: true,
        announceExpectedWait: false,
        conferenceMode: true,
        recording: { enabled: true, consent: { kind: "speech" as const, text: "This call is recorded." } },
      };
      const changed = await admin.queues.update(queue.id, {
        call,
        overflow: { threshold: 10, target: { kind: "auto_attendant", autoAttendantId: aa.id } },
        timeout: { seconds: 300, target: { kind: "voicemail", mailboxId: box.id } },
        noAgents: { when: "none_signed_in", target: { kind: "person", extension: "1001" } },
      });
      expect(changed).toMatchObject({
        call,
        overflow: { target: { kind: "auto_attendant", autoAttendantId: aa.id } },
        timeout: { target: { kind: "voicemail", mailboxId: box.id } },
      });
      expect((await admin.queues.get(queue.id)).call).toEqual(call);

      expect(
        await failureOf(
          admin.queues.update(queue.id, {
            call: { ...call, announceEverySeconds: 5 },
            overflow: { threshold: 10, target: { kind: "auto_attendant", autoAttendantId: "no-such-attendant" } },
          }),
        ),
      ).toEqual({ status: 400, code: "queue.invalid", fields: ["overflow.target.autoAttendantId", "call.announceEverySeconds"] });
      expect(await failureOf(admin.autoAttendants.delete(aa.id))).toMatchObject({ status: 409, code: "auto_attendant.in_use" });
      expect(await failureOf(admin.mailboxes.delete(box.id))).toMatchObject({ status: 409, code: "mailbox.in_use" });
      await admin.queues.delete(queue.id);
      await admin.autoAttendants.delete(aa.id);
      await admin.mailboxes.delete(box.id);
    });
  });

  describe("uploaded audio", () => {
    /** A WAV file as a sound editor writes it: 16 kHz, stereo, 16-bit, a 440 Hz tone. */
    const wav16kStereo = (seconds: number): Blob => {
      const frames = 16_000 * seconds;
      const bytes = new Uint8Array(44 + frames * 4);
      const view = new DataView(bytes.buffer);
      const text = (at: number, value: string) => {
        for (const [i, c] of [...value].entries()) view.setUint8(at + i, c.charCodeAt(0));
      };
      text(0, "RIFF");
      view.setUint32(4, 36 + frames * 4, true);
      text(8, "WAVE");
      text(12, "fmt ");
      view.setUint32(16, 16, true);
      view.setUint16(20, 1, true);
      view.setUint16(22, 2, true);
      view.setUint32(24, 16_000, true);
      view.setUint32(28, 64_000, true);
      view.setUint16(32, 4, true);
      view.setUint16(34, 16, true);
      text(36, "data");
      view.setUint32(40, frames * 4, true);
      for (let i = 0; i < frames; i++) {
        const sample = Math.round(8_000 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
        view.setInt16(44 + i * 4, sample, true);
        view.setInt16(46 + i * 4, sample, true);
      }
      return new Blob([bytes]);
    };

    it("takes a WAV file, keeps it as telephone audio, and lets a queue's greeting name it", async () => {
      const uploaded = await admin.recordings.upload(wav16kStereo(2));
      expect(uploaded.durationMs).toBe(2_000);
      const audio = await admin.recordings.audio(uploaded.id);
      const bytes = new Uint8Array(await audio.arrayBuffer());
      const view = new DataView(bytes.buffer);
      // 8 kHz mono 16-bit: 2 s are 32,000 bytes of samples after the 44-byte header.
      expect(view.getUint32(24, true)).toBe(8_000);
      expect(view.getUint16(22, true)).toBe(1);
      expect(bytes.length).toBe(44 + 32_000);
      const queue = await admin.queues.create({ name: `greeted ${database}` });
      const greeted = await admin.queues.update(queue.id, {
        call: { ...queue.call, greeting: { kind: "recording", recordingId: uploaded.id } },
      });
      expect(greeted.call.greeting).toEqual({ kind: "recording", recordingId: uploaded.id });
      await admin.queues.delete(queue.id);
    });

    it("refuses what is not a WAV file, agents, and another tenant's recordings", async () => {
      expect(await failureOf(admin.recordings.upload(new Blob([new TextEncoder().encode("not audio at all")])))).toMatchObject({
        status: 400,
        code: "audio.invalid_wav",
      });
      expect(await failureOf(agent.client.recordings.upload(wav16kStereo(1)))).toMatchObject({ status: 403 });
      const ours = await admin.recordings.upload(wav16kStereo(1));
      expect(await failureOf(acme.recordings.audio(ours.id))).toMatchObject({ status: 404, code: "recording.not_found" });
    });
  });

  describe("tenancy", () => {
    it("hides every resource from another tenant", async () => {
      const aa = await admin.autoAttendants.create(attendant("Ours"));
      const box = await admin.mailboxes.create({ name: "Ours" });
      const left = await leaveMessage(box.id);
      const notFound = { status: 404 };
      for (const call of [
        () => acme.autoAttendants.get(aa.id),
        () => acme.autoAttendants.version(aa.id, 1),
        () => acme.autoAttendants.publish(aa.id, attendant("Theirs", { businessHours: { target: { kind: "disconnect" } } })),
        () => acme.autoAttendants.delete(aa.id),
        () => acme.mailboxes.get(box.id),
        () => acme.mailboxes.update(box.id, { name: "Theirs" }),
        () => acme.mailboxes.delete(box.id),
        () => acme.mailboxes.messages(box.id),
        () => acme.mailboxes.getMessage(left.id),
        () => acme.mailboxes.markMessage(left.id, true),
        () => acme.mailboxes.deleteMessage(left.id),
        () => acme.mailboxes.messageAudio(left.id),
      ]) {
        expect(await failureOf(call())).toMatchObject(notFound);
      }
      expect(await acme.autoAttendants.list()).toEqual([]);
      expect(await acme.mailboxes.list()).toEqual([]);
      // Their attendant may not send calls to our mailbox or queue.
      expect(
        await failureOf(
          acme.autoAttendants.create({
            name: "Theirs",
            businessHours: { menu: null, target: { kind: "voicemail", mailboxId: box.id } },
            operator: { kind: "queue", queueId: salesQueueId },
          }),
        ),
      ).toEqual({ status: 400, code: "auto_attendant.invalid", fields: ["businessHours.target.mailboxId", "operator.queueId"] });
      const ours: AutoAttendant = await admin.autoAttendants.get(aa.id);
      expect(ours.version).toBe(1);
      expect(await admin.mailboxes.messages(box.id)).toEqual([left]);
    });
  });

  it("documents the routes and schemas in the OpenAPI description", async () => {
    const spec = (await (await fetch(`${running.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(spec.paths["/v1/auto-attendants"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(spec.paths["/v1/auto-attendants/{id}"] ?? {})).toEqual(expect.arrayContaining(["get", "put", "delete"]));
    expect(spec.paths["/v1/auto-attendants/{id}/versions/{version}"]).toHaveProperty("get");
    expect(Object.keys(spec.paths["/v1/mailboxes/{id}"] ?? {})).toEqual(expect.arrayContaining(["get", "patch", "delete"]));
    expect(spec.paths["/v1/mailboxes/{id}/messages"]).toHaveProperty("get");
    expect(Object.keys(spec.paths["/v1/voicemail-messages/{id}"] ?? {})).toEqual(
      expect.arrayContaining(["get", "patch", "delete"]),
    );
    expect(spec.paths["/v1/voicemail-messages/{id}/audio"]).toHaveProperty("get");
    for (const schema of [
      "AutoAttendant",
      "Menu",
      "CallTarget",
      "Schedule",
      "Mailbox",
      "VoicemailMessage",
      "CallQueueSettings",
    ]) {
      expect(spec.components.schemas, schema).toHaveProperty(schema);
    }
    // The recursive menu refers to itself by reference.
    expect(JSON.stringify(spec.components.schemas.Menu)).toContain("#/components/schemas/Menu");
  });
});
