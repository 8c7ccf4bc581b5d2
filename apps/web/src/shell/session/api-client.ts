import { type FetchLike, SwitchboardClient } from "@switchboard/sdk";

export interface ApiClientOptions {
  baseUrl: string;
  /** The signed-in user's access token. */
  token: string;
  /** Called when the server answers 401 to an authenticated request: the token is no longer good. */
  onUnauthorized: () => void;
  fetch?: FetchLike;
}

/** The client every page uses: it sends the session's token and reports a rejected token once per answer. */
export function createApiClient(options: ApiClientOptions): SwitchboardClient {
  const base: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const fetch: FetchLike = async (url, init) => {
    const response = await base(url, init);
    if (response.status === 401 && new Headers(init.headers).has("authorization")) options.onUnauthorized();
    return response;
  };
  return new SwitchboardClient({ baseUrl: options.baseUrl, credential: options.token, fetch });
}

/** A client without a credential, for signing in. */
export const anonymousClient = (baseUrl: string, fetch?: FetchLike): SwitchboardClient =>
  new SwitchboardClient({ baseUrl, ...(fetch ? { fetch } : {}) });
