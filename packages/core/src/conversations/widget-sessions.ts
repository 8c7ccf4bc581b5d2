import { createIdentity, issueAccessToken } from "../identity/identities.js";
import { DomainError } from "../kernel/domain-error.js";
import { isOpen } from "./business-hours.js";
import { openConversation } from "./conversations.js";
import type { ConversationDeps } from "./deps.js";
import { originAllowed } from "./entry-points.js";
import type { Conversation, EntryPoint } from "./model.js";

export interface WidgetSessionInput {
  readonly entryPointId: string;
  /** The `Origin` of the page embedding the widget. */
  readonly origin: string | undefined;
  /** The secret of an earlier session in this browser: resumes its conversation. */
  readonly sessionSecret?: string;
  /** Start a new conversation instead of coming back to the last one (open or ended). */
  readonly newConversation?: boolean;
}

export interface WidgetSessionResult {
  readonly entryPoint: EntryPoint;
  readonly conversation: Conversation;
  readonly identityId: string;
  readonly token: string;
  readonly expiresAt: Date;
  /** The session's secret: kept by the browser to come back to the conversation. */
  readonly sessionSecret: string;
  readonly resumed: boolean;
  /** Whether the entry point is within its business hours now. */
  readonly open: boolean;
}

/** The entry point a widget names, if it may be used from the page's origin. */
export async function widgetEntryPoint(
  deps: ConversationDeps,
  entryPointId: string,
  origin: string | undefined,
): Promise<EntryPoint> {
  const entryPoint = await deps.entryPoints.findEntryPoint(entryPointId);
  if (!entryPoint) throw new DomainError("entry_point.not_found", "not_found", `No entry point with id ${entryPointId}.`);
  if (!entryPoint.enabled) throw new DomainError("entry_point.disabled", "forbidden", "This chat is switched off.");
  if (!originAllowed(entryPoint, origin)) {
    throw new DomainError("widget.origin_not_allowed", "forbidden", `The chat may not be embedded on ${origin ?? "this page"}.`);
  }
  return entryPoint;
}

/**
 * The widget's one public call: starts a visitor's session (a customer identity and a conversation), or
 * resumes the one its secret names, and returns a short-lived access token for the chat API.
 */
export async function startWidgetSession(deps: ConversationDeps, input: WidgetSessionInput): Promise<WidgetSessionResult> {
  const entryPoint = await widgetEntryPoint(deps, input.entryPointId, input.origin);
  const secrets = deps.identity.secrets;
  const known = input.sessionSecret ? await deps.conversations.findWidgetSession(secrets.digest(input.sessionSecret)) : undefined;
  const session = known?.entryPointId === entryPoint.id ? known : undefined;

  let identityId: string;
  let sessionSecret: string;
  if (session && input.sessionSecret) {
    identityId = session.identityId;
    sessionSecret = input.sessionSecret;
  } else {
    const identity = await createIdentity(deps.identity, entryPoint.tenantId, { kind: "customer", displayName: "Visitor" });
    identityId = identity.id;
    sessionSecret = secrets.newSecret();
    await deps.conversations.createWidgetSession({
      id: deps.chat.ids.next(),
      tenantId: entryPoint.tenantId,
      entryPointId: entryPoint.id,
      identityId,
      secretDigest: secrets.digest(sessionSecret),
      createdAt: deps.chat.clock.now(),
    });
  }

  const latest = session
    ? (
        await deps.conversations.listConversations(
          entryPoint.tenantId,
          { customerIdentityId: identityId, entryPointId: entryPoint.id },
          { limit: 1 },
        )
      ).items[0]
    : undefined;
  // The last conversation comes back even when it has ended (the widget shows it, with a way to start
  // over); a new one starts only when asked, or for a new visitor.
  const resumable = input.newConversation ? undefined : latest;
  const conversation = resumable ?? (await openConversation(deps, entryPoint, identityId));
  const { token, expiresAt } = await issueAccessToken(deps.identity, entryPoint.tenantId, identityId, {
    // voip: the visitor may call from the conversation (the widget's "call us").
    scopes: ["chat", "voip"],
    expiresInMinutes: deps.widgetTokenMinutes,
  });
  return {
    entryPoint,
    conversation,
    identityId,
    token,
    expiresAt,
    sessionSecret,
    resumed: resumable !== undefined,
    open: isOpen(entryPoint.businessHours, deps.chat.clock.now()),
  };
}
