import type { CreateUserRequest, Role, UpdateUserRequest, User } from "@switchboard/protocol";
import type { Choice } from "../../shell/ui/choice.js";

export const ROLES: readonly Choice<Role>[] = [
  { value: "agent", label: "Agent", description: "Takes chats and calls in the agent desktop." },
  { value: "supervisor", label: "Supervisor", description: "An agent who also watches queues and agents live." },
  { value: "admin", label: "Admin", description: "Everything, including this console. Always in-house." },
];

export const roleLabel = (role: Role): string => ROLES.find((r) => r.value === role)?.label ?? role;

/** A user as the editor holds them. */
export interface UserForm {
  displayName: string;
  role: Role;
  /** Null: in-house. */
  organizationId: string | null;
}

/** A new user: who they are, and the password they first sign in with. */
export interface NewUserForm extends UserForm {
  email: string;
  password: string;
}

export const MIN_PASSWORD = 10;

export const formFromUser = (user: User): UserForm => ({
  displayName: user.displayName,
  role: user.role,
  organizationId: user.organizationId ?? null,
});

export const newUserForm = (organizationId: string | null = null): NewUserForm => ({
  email: "",
  password: "",
  displayName: "",
  role: "agent",
  organizationId,
});

/** Admins belong to no organization: whatever was picked before, an admin is in-house. */
export const organizationFor = (form: UserForm): string | null => (form.role === "admin" ? null : form.organizationId);

/** Only what changed, so that a save never undoes someone else's change to another field. Empty: nothing to save. */
export function userPatch(user: User, form: UserForm): UpdateUserRequest {
  const displayName = form.displayName.trim();
  const organizationId = organizationFor(form);
  return {
    ...(displayName !== user.displayName ? { displayName } : {}),
    ...(form.role !== user.role ? { role: form.role } : {}),
    ...(organizationId !== (user.organizationId ?? null) ? { organizationId } : {}),
  };
}

export function newUserRequest(form: NewUserForm): CreateUserRequest {
  return {
    email: form.email.trim(),
    displayName: form.displayName.trim(),
    role: form.role,
    password: form.password,
    organizationId: organizationFor(form),
  };
}

/** Problems that keep the user from being saved, by field. */
export function validateUser(form: UserForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = form.displayName.trim();
  if (name === "") errors.displayName = "Enter the name colleagues and customers see.";
  else if (name.length > 128) errors.displayName = "At most 128 characters.";
  return errors;
}

export function validateNewUser(form: NewUserForm): Record<string, string> {
  const errors = validateUser(form);
  const email = form.email.trim();
  if (email === "") errors.email = "Enter the email they sign in with.";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = "An email address, e.g. ada@example.com.";
  if (form.password.length < MIN_PASSWORD) errors.password = `At least ${MIN_PASSWORD} characters.`;
  return errors;
}

/** The users shown, by name: all, or those of one organization ("in-house" for none). */
export function filterUsers(users: readonly User[], organization: string | undefined): User[] {
  const shown =
    organization === undefined
      ? users
      : users.filter((u) => (organization === IN_HOUSE ? !u.organizationId : u.organizationId === organization));
  return [...shown].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.email.localeCompare(b.email));
}

/** The organization filter's value for in-house users. */
export const IN_HOUSE = "in-house";
