import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Attachment, type AttachmentStore, type IdentityStore, ManualClock } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the attachment contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface AttachmentStoreFixture {
  readonly identities: IdentityStore;
  readonly attachments: AttachmentStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/** The behaviour every `AttachmentStore` shares: records kept as given, visible only to their tenant. */
export function attachmentStoreContract(name: string, make: () => Promise<AttachmentStoreFixture>): void {
  describe(`AttachmentStore contract: ${name}`, () => {
    let fixture: AttachmentStoreFixture;
    let store: AttachmentStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const attachment = (id: string, extra: Partial<Attachment> = {}): Attachment => ({
      id,
      tenantId: ACME,
      threadId: "thread-1",
      uploaderId: "identity-bob",
      fileName: `${id}.png`,
      contentType: "image/png",
      size: 2048,
      createdAt: tick(),
      ...extra,
    });

    beforeEach(async () => {
      fixture = await make();
      store = fixture.attachments;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates an attachment and reads it back as given", async () => {
      const input = attachment("attachment-1", {
        fileName: "Scan «März» 2026.pdf",
        contentType: "application/pdf",
        size: 9_999_999,
      });
      const created = await store.createAttachment(input);
      expect(created).toEqual(input);
      expect(await store.getAttachment(ACME, "attachment-1")).toEqual(input);
      expect(await store.getAttachment(ACME, "attachment-nope")).toBeUndefined();
    });

    it("keeps attachments of different tenants apart", async () => {
      const acme = await store.createAttachment(attachment("attachment-1"));
      const globex = await store.createAttachment(attachment("attachment-2", { tenantId: GLOBEX }));
      expect(await store.getAttachment(GLOBEX, acme.id)).toBeUndefined();
      expect(await store.getAttachment(ACME, globex.id)).toBeUndefined();
      expect(await store.getAttachment(GLOBEX, globex.id)).toEqual(globex);
    });

    it("refuses an attachment of a tenant that does not exist", async () => {
      await expectDomainError(
        store.createAttachment(attachment("attachment-1", { tenantId: "tenant-nope" })),
        "tenant.not_found",
      );
      expect(await store.getAttachment("tenant-nope", "attachment-1")).toBeUndefined();
    });

    it("refuses an id that is taken", async () => {
      await store.createAttachment(attachment("attachment-1"));
      await expect(store.createAttachment(attachment("attachment-1", { fileName: "other.png" }))).rejects.toThrow();
      expect((await store.getAttachment(ACME, "attachment-1"))?.fileName).toBe("attachment-1.png");
    });
  });
}
