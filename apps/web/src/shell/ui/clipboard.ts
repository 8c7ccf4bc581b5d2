/**
 * Copies text to the clipboard. The async Clipboard API needs a secure context (https or localhost); on a
 * plain-http intranet address the older selection-based copy still works.
 */
export async function copyText(text: string, doc: Document = globalThis.document): Promise<void> {
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard && globalThis.isSecureContext) {
    await clipboard.writeText(text);
    return;
  }
  const area = doc.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  doc.body.append(area);
  area.select();
  try {
    if (!doc.execCommand("copy")) throw new Error("The browser refused to copy.");
  } finally {
    area.remove();
  }
}
