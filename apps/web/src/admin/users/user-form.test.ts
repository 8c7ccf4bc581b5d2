import type { User } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  filterUsers,
  formFromUser,
  IN_HOUSE,
  newUserForm,
  newUserRequest,
  userPatch,
  validateNewUser,
  validateUser,
} from "./user-form.js";

const ann: User = {
  id: "u1",
  email: "ann@example.com",
  displayName: "Ann",
  role: "agent",
  identityId: "idn-1",
  organizationId: "org-1",
  createdAt: "2025-06-01T12:00:00.000Z",
};

describe("the user form", () => {
  it("sends only what changed, so that nothing else is overwritten", () => {
    const form = formFromUser(ann);
    expect(userPatch(ann, form)).toEqual({});
    expect(userPatch(ann, { ...form, displayName: "  Ann Smith " })).toEqual({ displayName: "Ann Smith" });
    expect(userPatch(ann, { ...form, organizationId: null })).toEqual({ organizationId: null });
    expect(userPatch(ann, { ...form, role: "supervisor", organizationId: "org-2" })).toEqual({
      role: "supervisor",
      organizationId: "org-2",
    });
    // A server that leaves the field out means in-house.
    const { organizationId: _, ...legacy } = ann;
    expect(userPatch(legacy, { ...formFromUser(legacy), organizationId: null })).toEqual({});
  });

  it("moves a user made admin in-house, whatever organization was picked", () => {
    const form = { ...formFromUser(ann), role: "admin" as const };
    expect(userPatch(ann, form)).toEqual({ role: "admin", organizationId: null });
    expect(newUserRequest({ ...newUserForm("org-1"), email: " boss@example.com ", role: "admin" })).toMatchObject({
      email: "boss@example.com",
      role: "admin",
      organizationId: null,
    });
    expect(newUserRequest({ ...newUserForm("org-1"), displayName: " Cy " })).toMatchObject({
      displayName: "Cy",
      role: "agent",
      organizationId: "org-1",
    });
  });

  it("finds what the server would refuse", () => {
    expect(validateUser({ ...formFromUser(ann), displayName: " " })).toHaveProperty("displayName");
    expect(validateUser({ ...formFromUser(ann), displayName: "x".repeat(129) })).toHaveProperty("displayName");
    expect(validateUser(formFromUser(ann))).toEqual({});
    const errors = validateNewUser({ ...newUserForm(), email: "not an email", password: "short" });
    expect(Object.keys(errors).sort()).toEqual(["displayName", "email", "password"]);
    expect(validateNewUser({ ...newUserForm(), email: "a@b.co", password: "0123456789", displayName: "A" })).toEqual({});
  });

  it("filters by organization, in-house meaning none, and sorts by name", () => {
    const users = [{ ...ann, id: "u2", displayName: "Zoe" }, ann, { ...ann, id: "u3", displayName: "Ben", organizationId: null }];
    expect(filterUsers(users, undefined).map((u) => u.displayName)).toEqual(["Ann", "Ben", "Zoe"]);
    expect(filterUsers(users, "org-1").map((u) => u.displayName)).toEqual(["Ann", "Zoe"]);
    expect(filterUsers(users, IN_HOUSE).map((u) => u.displayName)).toEqual(["Ben"]);
  });
});
