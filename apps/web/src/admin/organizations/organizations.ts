import type { AgentOrganization, Queue, User } from "@switchboard/protocol";

/** One organization as the console lists it: the queues assigned to it and how many users work for it. */
export interface OrganizationRow {
  organization: AgentOrganization;
  queues: Queue[];
  users: number;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The organizations by name, each with its queues (by name) and the number of its users. */
export function organizationRows(
  organizations: readonly AgentOrganization[],
  queues: readonly Queue[],
  users: readonly User[],
): OrganizationRow[] {
  return [...organizations].sort(byName).map((organization) => ({
    organization,
    queues: queues.filter((q) => q.organizationIds.includes(organization.id)).sort(byName),
    users: users.filter((u) => u.organizationId === organization.id).length,
  }));
}

/**
 * The name of a user's or an agent's organization: "In-house" for none, the id itself for one not (or no
 * longer) in the list.
 */
export function organizationName(organizationId: string | null | undefined, organizations: readonly AgentOrganization[]): string {
  if (!organizationId) return "In-house";
  return organizations.find((o) => o.id === organizationId)?.name ?? organizationId;
}

/** A name the server would refuse, checked before asking it: 1 to 100 characters, not only spaces. */
export function organizationNameError(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === "") return "Enter a name.";
  if (trimmed.length > 100) return "At most 100 characters.";
  return undefined;
}
