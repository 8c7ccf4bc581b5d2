import { h, setText, show } from "../rendering/dom.js";
import { icon } from "../rendering/icons.js";
import type { CallController } from "./call-controller.js";
import { type CallState, formatCallTime, inCall, KEY_LETTERS, KEYS, statusText } from "./call-state.js";

/**
 * The call panel under the chat's header while a call lasts: status, timer, Mute, Keypad, Hang up, the other
 * side's audio; after the call, how it ended. The chat stays usable beneath it. `data-phase` and
 * `data-audio-energy` let a browser test follow the call.
 */
export class CallView {
  readonly element: HTMLElement;
  readonly #controller: CallController;
  readonly #icon: HTMLElement;
  readonly #status: HTMLElement;
  readonly #sub: HTMLElement;
  readonly #timer: HTMLElement;
  readonly #message: HTMLElement;
  readonly #controls: HTMLElement;
  readonly #mute: HTMLButtonElement;
  readonly #muteLabel: HTMLElement;
  readonly #keypadButton: HTMLButtonElement;
  readonly #hangup: HTMLButtonElement;
  readonly #after: HTMLElement;
  readonly #keypad: HTMLElement;
  readonly #digits: HTMLElement;
  readonly #audio: HTMLAudioElement;
  readonly #title: () => string;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(controller: CallController, options: { title: () => string; callAgain: () => void }) {
    this.#controller = controller;
    this.#icon = h("span", { class: "sb-call-icon", "aria-hidden": "true" }, icon("phone"));
    this.#status = h("p", { class: "sb-call-status", role: "status" });
    this.#sub = h("p", { class: "sb-call-sub" });
    this.#timer = h("span", { class: "sb-call-timer", role: "timer", "aria-label": "Call time" }, "0:00");
    this.#message = h("p", { class: "sb-call-message", role: "alert", hidden: true });

    this.#muteLabel = h("span", {}, "Mute");
    this.#mute = h(
      "button",
      { class: "sb-call-control", type: "button", "aria-pressed": "false" },
      icon("mic", "sb-icon sb-when-unmuted"),
      icon("micOff", "sb-icon sb-when-muted"),
      this.#muteLabel,
    );
    this.#keypadButton = h(
      "button",
      { class: "sb-call-control", type: "button", "aria-expanded": "false", "aria-controls": "sb-keypad" },
      icon("keypad"),
      h("span", {}, "Keypad"),
    );
    this.#hangup = h(
      "button",
      { class: "sb-call-control sb-call-hangup", type: "button" },
      icon("hangup"),
      h("span", {}, "Hang up"),
    );
    // Room for a video toggle later: another control in this row.
    this.#controls = h("div", { class: "sb-call-controls" }, this.#mute, this.#keypadButton, this.#hangup);

    const again = h("button", { class: "sb-button sb-button-primary", type: "button" }, icon("phone"), "Call again");
    const close = h("button", { class: "sb-button sb-button-ghost", type: "button" }, "Close");
    this.#after = h("div", { class: "sb-call-after", hidden: true }, close, again);

    this.#digits = h("output", { class: "sb-keypad-digits", "aria-label": "Keys sent", "aria-live": "polite" });
    const keys = KEYS.map((key) => {
      const button = h(
        "button",
        { class: "sb-key", type: "button", "aria-label": `Key ${key}` },
        h("span", { class: "sb-key-digit" }, key),
        h("span", { class: "sb-key-letters", "aria-hidden": "true" }, KEY_LETTERS[key] ?? ""),
      );
      button.addEventListener("click", () => controller.pressKey(key));
      return button;
    });
    this.#keypad = h(
      "div",
      { class: "sb-keypad", id: "sb-keypad", role: "group", "aria-label": "Keypad", hidden: true },
      this.#digits,
      h("div", { class: "sb-keypad-keys" }, ...keys),
    );

    this.#audio = h("audio", { autoplay: true, class: "sb-call-audio" });

    this.element = h(
      "section",
      { class: "sb-call", "aria-label": "Call", hidden: true, "data-phase": "idle", "data-audio-energy": "0" },
      h("div", { class: "sb-call-head" }, this.#icon, h("div", { class: "sb-call-text" }, this.#status, this.#sub), this.#timer),
      this.#message,
      this.#controls,
      this.#keypad,
      this.#after,
      this.#audio,
    );

    this.#mute.addEventListener("click", () => controller.setMuted(!controller.state.muted));
    this.#keypadButton.addEventListener("click", () => controller.toggleKeypad());
    this.#hangup.addEventListener("click", () => controller.hangup());
    close.addEventListener("click", () => controller.dismiss());
    again.addEventListener("click", () => options.callAgain());
    // Keys typed while the keypad is open go to the call too.
    this.#keypad.addEventListener("keydown", (event) => {
      if (/^[0-9*#]$/.test(event.key) && !(event.target instanceof HTMLButtonElement && event.key === " ")) {
        controller.pressKey(event.key);
        event.preventDefault();
      }
    });
    this.#title = options.title;
    controller.subscribe(() => this.render());
    this.render();
  }

  render(): void {
    const state = this.#controller.state;
    const visible = state.status !== "idle";
    show(this.element, visible);
    this.element.setAttribute("data-phase", state.status);
    this.element.setAttribute("data-audio-energy", String(state.audioEnergy));
    this.#syncAudio();
    this.#syncTicker(state);
    if (!visible) return;

    setText(this.#status, statusText(state));
    const active = inCall(state);
    setText(this.#sub, state.status === "ended" ? this.#endLine(state) : `${this.#title()} · Web call`);
    this.#icon.setAttribute("data-tone", state.status === "ended" ? (state.end?.tone ?? "info") : state.status);
    this.#renderTimer(state);

    const error = state.status === "ended" && state.end?.tone === "error" ? state.end.message : "";
    setText(this.#message, error);
    show(this.#message, error !== "");

    show(this.#controls, active);
    const media = state.status === "waiting" || state.status === "talking";
    this.#mute.disabled = !active;
    this.#mute.setAttribute("aria-pressed", String(state.muted));
    this.#mute.toggleAttribute("data-muted", state.muted);
    setText(this.#muteLabel, state.muted ? "Unmute" : "Mute");
    this.#keypadButton.disabled = !media;
    this.#keypadButton.setAttribute("aria-expanded", String(state.keypadOpen && media));
    show(this.#keypad, state.keypadOpen && media);
    setText(this.#digits, state.digits);
    show(this.#after, state.status === "ended");
  }

  dispose(): void {
    globalThis.clearInterval(this.#ticker);
  }

  #endLine(state: CallState): string {
    const end = state.end;
    if (!end) return "";
    const duration = end.duration === undefined ? "" : ` · ${formatCallTime(end.duration)}`;
    // An error is in the alert below; a normal end says how.
    return end.tone === "error" ? `${this.#title()}${duration}` : `${end.message}${duration}`;
  }

  #renderTimer(state: CallState): void {
    const running = state.connectedAt !== undefined && inCall(state);
    const ms =
      state.status === "ended" ? (state.end?.duration ?? 0) : running ? Date.now() - (state.connectedAt ?? Date.now()) : 0;
    setText(this.#timer, formatCallTime(ms));
    // Once ended, the time is in the line under the status.
    show(this.#timer, state.connectedAt !== undefined && state.status !== "ended");
  }

  #syncTicker(state: CallState): void {
    const running = state.connectedAt !== undefined && inCall(state);
    if (running && this.#ticker === undefined) {
      this.#ticker = globalThis.setInterval(() => this.#renderTimer(this.#controller.state), 1000);
    } else if (!running && this.#ticker !== undefined) {
      globalThis.clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #syncAudio(): void {
    const stream = this.#controller.remoteStream ?? null;
    if (this.#audio.srcObject !== stream) {
      this.#audio.srcObject = stream;
      if (stream) {
        this.#audio.play().catch(() => {
          // Autoplay needs a gesture: the Call click was one; if the browser still says no, the next click plays.
        });
      }
    }
  }
}
