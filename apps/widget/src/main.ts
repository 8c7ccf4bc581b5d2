import { readScriptConfig } from "./boot/script-config.js";
import { ChatController } from "./conversation/controller.js";
import { DEFAULT_ACCENT, textOn } from "./rendering/theme.js";
import { WidgetView } from "./rendering/view.js";
import { WidgetStorage } from "./session/storage.js";
import css from "./styles/widget.css?inline";

/**
 * The embed: `<script src="https://HOST/widget.js" data-entry-point="ID" async></script>`. It finds its
 * own tag, attaches a shadow root to an element of its own and renders the chat there. Its one global is
 * `window.Switchboard` (open, close, toggle), for pages that want their own "Chat with us" button.
 */

declare global {
  interface Window {
    Switchboard?: { open(): void; close(): void; toggle(): void };
  }
}

const HOST_TAG = "switchboard-widget";

function findScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.entryPoint !== undefined) return current;
  // `async` scripts have no currentScript in some browsers: find the tag by its attribute.
  const tags = document.querySelectorAll<HTMLScriptElement>("script[data-entry-point]");
  return Array.from(tags).find((tag) => /\/widget\.js(?:[?#]|$)/.test(tag.src)) ?? tags[0];
}

function boot(script: HTMLScriptElement | undefined): void {
  if (document.querySelector(HOST_TAG)) return; // Loaded twice: the first one serves.
  if (!script) {
    console.warn("[switchboard widget] Could not find the widget's script tag.");
    return;
  }
  const result = readScriptConfig(script.src, location.href, script.dataset);
  if (!result.ok) {
    console.warn(`[switchboard widget] ${result.problem}`);
    return;
  }
  const { config } = result;
  const host = document.createElement(HOST_TAG);
  // The page's rules may target any element: these keep ours out of its layout whatever they say.
  host.setAttribute("style", "all: initial !important; display: contents !important;");
  const shadow = host.attachShadow({ mode: "open" });
  const storage = new WidgetStorage(config.entryPointId);
  const controller = new ChatController({ baseUrl: config.baseUrl, entryPointId: config.entryPointId, storage });
  const accent = config.color ?? DEFAULT_ACCENT;
  // Whether the panel was open in this tab: on a desktop it stays open across the site's pages and reloads.
  const openKey = `${storage.key}.open`;
  const view = new WidgetView(shadow, controller, {
    accent,
    onAccent: textOn(accent),
    css,
    onToggle: (open) => rememberInTab(openKey, open),
  });
  document.body.append(host);

  // A visitor coming back to an open conversation gets it (and its unread badge) without opening the panel.
  const stored = storage.get();
  if (stored.sessionSecret && !stored.ended) void controller.start();
  // Not on a phone, where the open panel covers the whole page: there each page starts with the page.
  const fullScreen = globalThis.matchMedia?.("(max-width: 480px)").matches ?? false;
  if (recallInTab(openKey) && !fullScreen) view.open({ restore: true });

  window.Switchboard = { open: () => view.open(), close: () => view.close(), toggle: () => view.toggle() };
}

function rememberInTab(key: string, open: boolean): void {
  try {
    if (open) sessionStorage.setItem(key, "1");
    else sessionStorage.removeItem(key);
  } catch {
    // Storage blocked: the panel starts closed next time.
  }
}

function recallInTab(key: string): boolean {
  try {
    return sessionStorage.getItem(key) === "1";
  } catch {
    return false;
  }
}

const script = findScript();
if (document.body) boot(script);
else document.addEventListener("DOMContentLoaded", () => boot(script), { once: true });
