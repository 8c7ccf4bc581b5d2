/**
 * Checks an allowed origin as the server compares it with a page's `Origin` header: `*`, or
 * scheme://host[:port] with nothing after it. Returns the value as it should be saved, or an error.
 */
export function parseOrigin(value: string): { origin: string } | { error: string } {
  const trimmed = value.trim();
  if (trimmed === "*") return { origin: "*" };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { error: "Use scheme://host[:port], e.g. https://www.example.com, or * for any site." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { error: "Only http and https pages can embed the widget." };
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return { error: `Leave out the path: ${url.origin}` };
  }
  return { origin: url.origin };
}
