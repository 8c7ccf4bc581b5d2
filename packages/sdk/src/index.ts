export {
  type ConversationListParams,
  type CustomerListParams,
  type PageParams,
  type SequenceParams,
  SwitchboardClient,
  type SwitchboardClientOptions,
  ThreadClient,
} from "./client.js";
export {
  type CallOptions,
  type Credential,
  type FetchLike,
  generateIdempotencyKey,
  HttpClient,
  type HttpOptions,
  parseRetryAfter,
  type QueryValue,
  type RequestSpec,
  type RetryOptions,
  SwitchboardError,
} from "./http.js";
export {
  type ReadyInfo,
  RealtimeClient,
  type RealtimeClientOptions,
  RealtimeError,
  type RealtimeEventMap,
  type RealtimeState,
  type RealtimeStats,
  type ReconnectOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./realtime.js";
