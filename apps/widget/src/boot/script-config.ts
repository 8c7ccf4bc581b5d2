/** What the embedding `<script>` tag tells the widget. */
export interface ScriptConfig {
  readonly entryPointId: string;
  /** The Switchboard server: where the script came from, with any path prefix before `/widget.js`. */
  readonly baseUrl: string;
  /** Optional `data-color`: the theme colour, as a CSS hex colour. */
  readonly color: string | undefined;
}

export type ScriptConfigResult =
  | { readonly ok: true; readonly config: ScriptConfig }
  | { readonly ok: false; readonly problem: string };

/** Reads the tag's `src` (resolved against the page) and `data-*` attributes. */
export function readScriptConfig(
  src: string,
  pageUrl: string,
  data: { entryPoint?: string | undefined; color?: string | undefined },
): ScriptConfigResult {
  const entryPointId = data.entryPoint?.trim() ?? "";
  if (entryPointId === "" || entryPointId.includes("{{")) {
    return { ok: false, problem: 'The widget script tag needs data-entry-point="<your entry point id>".' };
  }
  let url: URL;
  try {
    url = new URL(src, pageUrl);
  } catch {
    return { ok: false, problem: `The widget script's src is not a URL: ${src}` };
  }
  const prefix = url.pathname.replace(/\/[^/]*$/, "");
  const color = data.color && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(data.color.trim()) ? data.color.trim() : undefined;
  return { ok: true, config: { entryPointId, baseUrl: `${url.origin}${prefix}`, color } };
}
