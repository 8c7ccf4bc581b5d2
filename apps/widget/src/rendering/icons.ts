/** The widget's icons: inline SVG (24 × 24, stroked in the current colour), decorative for screen readers. */
const PATHS = {
  chat: '<path d="M20.5 11.5a8.5 8.5 0 0 1-12.3 7.6L3.5 20.5l1.4-4.4A8.5 8.5 0 1 1 20.5 11.5Z"/><path d="M8.5 11.5h.01M12 11.5h.01M15.5 11.5h.01" stroke-width="2.6"/>',
  close: '<path d="M6 6l12 12M18 6 6 18"/>',
  chevronDown: '<path d="m6 9 6 6 6-6"/>',
  send: '<path d="M5 12h13M12 5l7 7-7 7"/>',
  paperclip:
    '<path d="m20.5 11.3-8.4 8.4a5.5 5.5 0 0 1-7.8-7.8l8.4-8.4a3.7 3.7 0 0 1 5.2 5.2l-8.4 8.4a1.8 1.8 0 0 1-2.6-2.6l7.8-7.8"/>',
  file: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8Z"/><path d="M14 3v5h5M9 13h6M9 17h4"/>',
  alert: '<circle cx="12" cy="12" r="9"/><path d="M12 7.5v5M12 16.2h.01"/>',
  retry: '<path d="M3.5 12a8.5 8.5 0 1 0 2.5-6"/><path d="M3.5 3.5V9H9"/>',
  check: '<path d="m5 12.5 4.5 4.5L19 7.5"/>',
  doubleCheck: '<path d="m2.5 12.5 4.5 4.5L16.5 7.5M12 16.5l.5.5L22 7.5"/>',
  external: '<path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5"/>',
  offline:
    '<path d="M2 2l20 20M8.5 16.4a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 5.2-2.8M19 12.9a10 10 0 0 0-2-1.5M2 8.8a15 15 0 0 1 4.2-2.7M22 8.8A15 15 0 0 0 10.7 5M12 20h.01"/>',
  phone:
    '<path d="M21 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 1.1 4.2 2 2 0 0 1 3.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L7 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2Z"/>',
  hangup:
    '<path d="M3.3 15.2 5.6 13a1.8 1.8 0 0 1 2.4-.1l1 .8a1.6 1.6 0 0 0 2 0 9.5 9.5 0 0 1 2 0 1.6 1.6 0 0 0 2 0l1-.8a1.8 1.8 0 0 1 2.4.1l2.3 2.2a1.6 1.6 0 0 0 2.2-.1 1.6 1.6 0 0 0 .1-2.1C19.6 9.6 16 8 12 8s-7.6 1.6-10.9 5A1.6 1.6 0 0 0 1.2 15a1.6 1.6 0 0 0 2.1.2Z"/>',
  mic: '<rect x="9" y="2.5" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3.5"/>',
  micOff:
    '<path d="M2 2l20 20M9 9v2a3 3 0 0 0 5.1 2.1M15 9.3V5.5a3 3 0 0 0-5.7-1.3M17.8 15.2A7 7 0 0 0 19 11M5 11a7 7 0 0 0 10.8 5.9M12 18v3.5"/>',
  keypad:
    '<path d="M6 4.5h.01M12 4.5h.01M18 4.5h.01M6 10h.01M12 10h.01M18 10h.01M6 15.5h.01M12 15.5h.01M18 15.5h.01M12 21h.01" stroke-width="3.2"/>',
} as const;

export type IconName = keyof typeof PATHS;

const template = (name: IconName) =>
  `<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;

export function icon(name: IconName, className = "sb-icon"): SVGSVGElement {
  const holder = document.createElement("span");
  // The markup is this file's constants only, never data.
  holder.innerHTML = template(name);
  const svg = holder.firstElementChild as SVGSVGElement;
  svg.setAttribute("class", className);
  return svg;
}
