import { createMemoryStores, plainPasswords } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../identity/model.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import { createQueue, type QueueDeps, updateQueue } from "../queues/queues.js";
import {
  type AutoAttendantInput,
  createAutoAttendant,
  deleteAutoAttendant,
  getAutoAttendant,
  getAutoAttendantVersion,
  listAutoAttendants,
  updateAutoAttendant,
} from "./auto-attendants.js";
import type { FlowDeps } from "./deps.js";
import { createMailbox } from "./mailboxes.js";

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const admin: Principal = { kind: "api_key", tenantId: ACME, apiKeyId: "key-1" };
const globexAdmin: Principal = { kind: "api_key", tenantId: GLOBEX, apiKeyId: "key-2" };
const agent: Principal = { kind: "identity", tenantId: ACME, identityId: "i-1", scopes: ["chat", "voip"], role: "agent" };

/** `kind:code [fields]` of a failure, or "ok". */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) =>
      e instanceof DomainError
        ? `${e.kind}:${e.code}${e.fields.length ? ` [${e.fields.map((f) => f.field).join(",")}]` : ""}`
        : String(e),
  );

describe("auto attendants", () => {
  let deps: FlowDeps;
  let queues: QueueDeps;
  let clock: ManualClock;
  let salesQueueId: string;
  let phoneNumbers: ReturnType<typeof createMemoryStores>["phoneNumbers"];

  const input = (extra: Partial<AutoAttendantInput> = {}): AutoAttendantInput => ({
    name: "Main line",
    businessHours: {
      greeting: { kind: "speech", text: "Welcome to Acme." },
      menu: {
        prompt: { kind: "speech", text: "For sales, press 1 or say sales." },
        options: [
          {
            key: "1",
            phrases: ["  Sales  Team "],
            action: { kind: "redirect", target: { kind: "queue", queueId: salesQueueId } },
          },
        ],
      },
      target: null,
    },
    ...extra,
  });

  beforeEach(async () => {
    const stores = createMemoryStores();
    phoneNumbers = stores.phoneNumbers;
    clock = new ManualClock("2026-03-02T09:00:00.000Z");
    const ids = new SequentialIds("id");
    for (const [id, slug] of [
      [ACME, "acme"],
      [GLOBEX, "globex"],
    ] as const) {
      await stores.identities.createTenant({ id, slug, name: slug, createdAt: clock.now() });
    }
    deps = {
      autoAttendants: stores.autoAttendants,
      voicemail: stores.voicemail,
      queues: stores.queues,
      users: stores.identities,
      passwords: plainPasswords,
      clock,
      ids,
      phoneNumbers: stores.phoneNumbers,
    };
    queues = {
      queues: stores.queues,
      organizations: stores.organizations,
      clock,
      ids,
      autoAttendants: stores.autoAttendants,
      voicemail: stores.voicemail,
    };
    salesQueueId = (await createQueue(queues, ACME, { name: "sales" })).id;
  });

  it("creates version 1 with defaults filled in and phrases normalized", async () => {
    const created = await createAutoAttendant(deps, admin, input({ name: "  Main line " }));
    expect(created).toMatchObject({
      tenantId: ACME,
      name: "Main line",
      version: 1,
      voice: null,
      schedule: null,
      afterHours: null,
      holiday: null,
      operator: null,
      speechInput: false,
      noInput: { retries: 2, target: { kind: "disconnect" } },
      invalidInput: { retries: 2, target: { kind: "disconnect" } },
    });
    expect(created.businessHours.menu?.options[0]?.phrases).toEqual(["sales team"]);
    expect(await getAutoAttendant(deps, admin, created.id)).toEqual(created);
    expect(await listAutoAttendants(deps, admin)).toEqual([created]);
  });

  it("refuses an invalid attendant with the fields at fault, and targets the tenant does not have", async () => {
    const duplicate = input();
    const menu = duplicate.businessHours.menu;
    if (!menu) throw new Error("no menu");
    const bad = {
      ...duplicate,
      businessHours: { ...duplicate.businessHours, menu: { ...menu, options: [...menu.options, ...menu.options] } },
    };
    expect(await failure(createAutoAttendant(deps, admin, bad))).toBe(
      "invalid:auto_attendant.invalid [businessHours.menu.options.1.key,businessHours.menu.options.1.phrases.0]",
    );
    const globexQueue = await createQueue({ ...queues }, GLOBEX, { name: "theirs" });
    expect(
      await failure(
        createAutoAttendant(
          deps,
          admin,
          input({
            operator: { kind: "queue", queueId: globexQueue.id },
            afterHours: { greeting: null, menu: null, target: { kind: "voicemail", mailboxId: "mb-nope" } },
            holiday: { greeting: null, menu: null, target: { kind: "auto_attendant", autoAttendantId: "aa-nope" } },
          }),
        ),
      ),
    ).toBe("invalid:auto_attendant.invalid [afterHours.target.mailboxId,holiday.target.autoAttendantId,operator.queueId]");
    expect(await listAutoAttendants(deps, admin)).toEqual([]);
  });

  it("publishes each change as the next version, keeping the earlier ones", async () => {
    const v1 = await createAutoAttendant(deps, admin, input());
    clock.advance(60_000);
    const v2 = await updateAutoAttendant(deps, admin, v1.id, input({ name: "Reception", speechInput: true }), {
      expectedVersion: 1,
    });
    expect(v2).toMatchObject({ id: v1.id, version: 2, name: "Reception", speechInput: true, createdAt: v1.createdAt });
    expect(v2.updatedAt).toEqual(clock.now());
    expect(await getAutoAttendant(deps, admin, v1.id)).toEqual(v2);
    expect(await getAutoAttendantVersion(deps, admin, v1.id, 1)).toEqual(v1);
    expect(await getAutoAttendantVersion(deps, admin, v1.id, 2)).toEqual(v2);
    expect(await failure(getAutoAttendantVersion(deps, admin, v1.id, 3))).toBe("not_found:auto_attendant.version_not_found");
    // Without an expected version, the latest is changed.
    expect((await updateAutoAttendant(deps, admin, v1.id, input())).version).toBe(3);
  });

  it("refuses a change made to a version that is no longer current, and an invalid change", async () => {
    const v1 = await createAutoAttendant(deps, admin, input());
    await updateAutoAttendant(deps, admin, v1.id, input({ name: "First edit" }), { expectedVersion: 1 });
    expect(await failure(updateAutoAttendant(deps, admin, v1.id, input({ name: "Second edit" }), { expectedVersion: 1 }))).toBe(
      "conflict:auto_attendant.version_conflict",
    );
    expect(await failure(updateAutoAttendant(deps, admin, v1.id, input({ name: "" })))).toBe(
      "invalid:auto_attendant.invalid [name]",
    );
    expect(await getAutoAttendant(deps, admin, v1.id)).toMatchObject({ version: 2, name: "First edit" });
  });

  it("refuses a second attendant of the same name", async () => {
    await createAutoAttendant(deps, admin, input());
    expect(await failure(createAutoAttendant(deps, admin, input()))).toBe("conflict:auto_attendant.name_taken");
  });

  it("is for admins", async () => {
    const created = await createAutoAttendant(deps, admin, input());
    expect(await failure(createAutoAttendant(deps, agent, input({ name: "x" })))).toBe("forbidden:auth.admin_required");
    expect(await failure(getAutoAttendant(deps, agent, created.id))).toBe("forbidden:auth.admin_required");
    expect(await failure(updateAutoAttendant(deps, agent, created.id, input()))).toBe("forbidden:auth.admin_required");
    expect(await failure(deleteAutoAttendant(deps, agent, created.id))).toBe("forbidden:auth.admin_required");
    expect(await failure(listAutoAttendants(deps, agent))).toBe("forbidden:auth.admin_required");
  });

  it("keeps tenants apart", async () => {
    const created = await createAutoAttendant(deps, admin, input());
    expect(await failure(getAutoAttendant(deps, globexAdmin, created.id))).toBe("not_found:auto_attendant.not_found");
    expect(await failure(getAutoAttendantVersion(deps, globexAdmin, created.id, 1))).toBe("not_found:auto_attendant.not_found");
    expect(await failure(updateAutoAttendant(deps, globexAdmin, created.id, input()))).toBe("not_found:auto_attendant.not_found");
    expect(await failure(deleteAutoAttendant(deps, globexAdmin, created.id))).toBe("not_found:auto_attendant.not_found");
    expect(await listAutoAttendants(deps, globexAdmin)).toEqual([]);
  });

  it("refuses to delete an attendant another attendant or a queue sends calls to", async () => {
    const target = await createAutoAttendant(deps, admin, input({ name: "After hours" }));
    const front = await createAutoAttendant(
      deps,
      admin,
      input({
        name: "Front",
        afterHours: { greeting: null, menu: null, target: { kind: "auto_attendant", autoAttendantId: target.id } },
      }),
    );
    expect(await failure(deleteAutoAttendant(deps, admin, target.id))).toBe("conflict:auto_attendant.in_use");
    await updateAutoAttendant(deps, admin, front.id, input({ name: "Front" }));
    await updateQueue(queues, ACME, salesQueueId, {
      timeout: { seconds: 60, target: { kind: "auto_attendant", autoAttendantId: target.id } },
    });
    expect(await failure(deleteAutoAttendant(deps, admin, target.id))).toBe("conflict:auto_attendant.in_use");
    await updateQueue(queues, ACME, salesQueueId, { timeout: null });
    const number = await phoneNumbers.createPhoneNumber({
      id: "number-1",
      tenantId: ACME,
      e164: "+15550101",
      label: "Main",
      entry: { kind: "auto_attendant", autoAttendantId: target.id },
      trunkId: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(await failure(deleteAutoAttendant(deps, admin, target.id))).toBe("conflict:auto_attendant.in_use");
    await phoneNumbers.deletePhoneNumber(ACME, number.id);
    await deleteAutoAttendant(deps, admin, target.id);
    expect(await failure(getAutoAttendant(deps, admin, target.id))).toBe("not_found:auto_attendant.not_found");
    expect(await failure(deleteAutoAttendant(deps, admin, target.id))).toBe("not_found:auto_attendant.not_found");
    // An attendant may point at itself (a loop ends at run time); that does not keep it from being deleted.
    const self = await createAutoAttendant(deps, admin, input({ name: "Loop" }));
    await updateAutoAttendant(
      deps,
      admin,
      self.id,
      input({ name: "Loop", operator: { kind: "auto_attendant", autoAttendantId: self.id } }),
    );
    await deleteAutoAttendant(deps, admin, self.id);
  });
});

describe("call queue settings and call targets of queues", () => {
  it("validates the call settings and that a targeted attendant or mailbox is the tenant's", async () => {
    const stores = createMemoryStores();
    const clock = new ManualClock();
    const ids = new SequentialIds("q");
    await stores.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: clock.now() });
    await stores.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: clock.now() });
    const queues: QueueDeps = {
      queues: stores.queues,
      organizations: stores.organizations,
      clock,
      ids,
      autoAttendants: stores.autoAttendants,
      voicemail: stores.voicemail,
    };
    const flows: FlowDeps = {
      ...stores,
      voicemail: stores.voicemail,
      users: stores.identities,
      passwords: plainPasswords,
      clock,
      ids,
    };
    const theirs = await createMailbox(flows, globexAdmin, { name: "theirs" });
    const ours = await createMailbox(flows, admin, { name: "ours" });
    const queue = await createQueue(queues, ACME, { name: "support" });
    expect(queue.call).toMatchObject({ announceEverySeconds: 30, greeting: null, conferenceMode: false });

    expect(
      await failure(
        updateQueue(queues, ACME, queue.id, {
          call: { ...queue.call, announceEverySeconds: 5, music: { kind: "recording", recordingId: "" } },
          overflow: { threshold: 0, target: { kind: "voicemail", mailboxId: theirs.id } },
          timeout: { seconds: 60, target: { kind: "auto_attendant", autoAttendantId: "aa-nope" } },
        }),
      ),
    ).toBe(
      "invalid:queue.invalid [overflow.target.mailboxId,timeout.target.autoAttendantId,call.music.recordingId,call.announceEverySeconds]",
    );
    expect(
      await failure(
        updateQueue(queues, ACME, queue.id, {
          overflow: { threshold: 0, target: { kind: "external_number", number: "555" } },
          noAgents: { when: "none_available", target: { kind: "person", extension: "x" } },
        }),
      ),
    ).toBe("invalid:queue.invalid [overflow.target.number,noAgents.target.extension]");

    const changed = await updateQueue(queues, ACME, queue.id, {
      call: { ...queue.call, announceEverySeconds: 0, greeting: { kind: "speech", text: "Please hold." }, conferenceMode: true },
      overflow: { threshold: 5, target: { kind: "voicemail", mailboxId: ours.id } },
      timeout: { seconds: 120, target: { kind: "external_number", number: "+15550100" } },
      noAgents: { when: "none_signed_in", target: { kind: "disconnect", message: "Nobody is here." } },
    });
    expect(changed.call).toMatchObject({ announceEverySeconds: 0, conferenceMode: true });
    expect(await stores.queues.getQueue(ACME, queue.id)).toEqual(changed);
  });
});
