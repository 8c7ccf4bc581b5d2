import { SwitchboardError } from "@switchboard/sdk";

/** A failure as the customer reads it, and what the widget can do about it. */
export interface Explained {
  readonly message: string;
  /** Trying again may help (the network, a busy server); a refused origin or an unknown entry point will not. */
  readonly retryable: boolean;
}

const OFFLINE = "You seem to be offline. Check your connection and try again.";

/** Turns an error of the API or the network into a sentence for the customer; site owners get details in the console. */
export function explain(error: unknown): Explained {
  if (!(error instanceof SwitchboardError)) {
    // fetch rejects with a TypeError when there is no answer at all.
    return { message: OFFLINE, retryable: true };
  }
  switch (error.code) {
    case "entry_point.not_found":
      return { message: "This chat isn't available: its address is not set up correctly.", retryable: false };
    case "entry_point.disabled":
      return { message: "Chat is switched off at the moment. Please contact us another way.", retryable: false };
    case "widget.origin_not_allowed":
      return {
        message: "Chat isn't available on this website (it isn't on the chat's list of allowed sites).",
        retryable: false,
      };
    case "attachment.too_large":
      return { message: "That file is too large to send.", retryable: false };
    case "attachment.unsupported_type":
      return { message: "That kind of file can't be sent.", retryable: false };
    case "attachment.type_mismatch":
      return { message: "That file's content doesn't match its type, so it can't be sent.", retryable: false };
    case "rate_limited":
      return { message: "You're sending messages very quickly. Wait a moment and try again.", retryable: true };
    case "conversation.not_found":
    case "thread.not_found":
      return { message: "This conversation is no longer available.", retryable: false };
  }
  if (error.code === "request.invalid" && error.errors.some((e) => e.field === "content")) {
    return { message: "Your message is too long.", retryable: false };
  }
  if (error.status >= 500 || error.status === 429 || error.status === 408) {
    return { message: "The chat is having trouble right now. Please try again in a moment.", retryable: true };
  }
  return { message: error.problem.detail ?? error.problem.title, retryable: error.status >= 500 };
}
