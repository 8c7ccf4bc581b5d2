import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * The one place configuration is read: environment variables `SWITCHBOARD_*`, optionally over a JSON
 * file named by `SWITCHBOARD_CONFIG_FILE`. Every setting has a default that makes `npm start` work.
 */
const IceServers = z.array(
  z.object({
    urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):/), z.array(z.string().regex(/^(stun|stuns|turn|turns):/)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const ConfigSchema = z.object({
  host: z.string().default("0.0.0.0"),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The address printed for people to open; defaults to http://localhost:<port>. */
  publicUrl: z.string().url().optional(),
  dataDir: z.string().default("./data"),
  /** `postgres://...` for PostgreSQL; empty for SQLite in the data directory. */
  databaseUrl: z.string().optional(),
  /** On first start the demo tenant gets this admin API key (must start with `sk_`); random if unset. */
  bootstrapApiKey: z.string().startsWith("sk_").min(20).optional(),
  /** The platform operator's key: creates tenants in a multi-tenant deployment. Unset: tenant creation is off. */
  platformApiKey: z.string().startsWith("sk_").min(20).optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /** Requests per minute per credential (token or API key). */
  rateLimitPerMinute: z.coerce.number().int().min(1).default(1200),
  tokenDefaultMinutes: z.coerce.number().int().min(1).default(60),
  tokenMaxMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 60),
  /** How often the server pings each WebSocket; a connection silent for two intervals is closed. */
  heartbeatMs: z.coerce.number().int().min(100).default(25_000),
  /** Outgoing email: `smtp://user:pass@host:port` (or smtps://). Unset: the built-in development mailbox. */
  smtpUrl: z.string().optional(),
  smtpFrom: z.string().default("Switchboard <no-reply@switchboard.local>"),
  /** The development mailbox's SMTP port on 127.0.0.1 (0: any free port); it runs only when smtpUrl is unset. */
  devMailboxPort: z.coerce.number().int().min(0).max(65535).default(0),
  /** Largest attachment, in bytes. */
  attachmentMaxBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Lifetime of a widget visitor's access token (renewed by the widget with its session). */
  widgetTokenMinutes: z.coerce.number().int().min(1).default(60),
  /** Telephony: the SIP user agent (UDP and TCP on `sipPort`) and its RTP ports. `false` runs without. */
  sipEnabled: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** SIP port, UDP and TCP alike (0: any free port, for tests). */
  sipPort: z.coerce.number().int().min(0).max(65535).default(5060),
  /** The address SIP and RTP bind to. */
  sipHost: z.string().default("0.0.0.0"),
  /** The address written in Via, Contact and SDP: what phones and carriers reach us at (default: 127.0.0.1 when bound to all interfaces). */
  sipPublicAddress: z.string().optional(),
  /** RTP (and RTCP on the next port) come from this range, `min-max`, even ports. */
  rtpPorts: z
    .string()
    .regex(/^\d{1,5}-\d{1,5}$/, "a range like 20000-20999")
    .default("20000-20999")
    .transform((v) => {
      const [min = 0, max = 0] = v.split("-").map(Number);
      return { min, max };
    })
    .refine((r) => r.min >= 1024 && r.max <= 65535 && r.max - r.min >= 3, "at least 4 ports between 1024 and 65535"),
  /**
   * RTP and RTCP sockets on an I/O thread of their own (the media clock, mixing and call logic stay on the
   * main thread): at hundreds of calls the system calls of their packets would otherwise crowd its 20 ms ticks.
   */
  rtpIoThread: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /**
   * The RTP I/O thread's nice value (Linux, -20 to 19; lower is served first), as media servers raise their
   * media threads' priority over the rest of the machine. Below 0 it takes root or CAP_SYS_NICE. Unset: the
   * process's own.
   */
  rtpIoNice: z.coerce.number().int().min(-20).max(19).optional(),
  /**
   * New calls are answered 503 with Retry-After while the event loop runs this many ms behind (the median over
   * the last second): the process is overloaded, calls in progress keep its time, a carrier tries elsewhere.
   * 0 turns it off.
   */
  sipOverloadLagMs: z.coerce.number().int().min(0).max(60_000).default(150),
  /**
   * Calls from 127.0.0.1 are accepted as from a trusted trunk: the demo number works without configuring a
   * trunk. Default: on for the embedded default (SQLite, demo data), off otherwise; never turn it on in production.
   */
  sipTrustLoopback: z.enum(["true", "false"]).optional(),
  /**
   * WebRTC (browser calls): the IPv4 address browser media binds to and announces as a host candidate.
   * Default: the machine's first non-loopback IPv4 interface (browsers gather no candidate on loopback),
   * else 127.0.0.1.
   */
  webrtcAddress: z.string().optional(),
  /** Addresses announced besides it: the public address of a 1:1 NAT in front of the server. Comma-separated. */
  webrtcAnnouncedAddresses: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((a) => a.trim())
            .filter((a) => a.length > 0)
        : [],
    ),
  /** UDP ports browser media may use, `min-max` (default: any). Open them in the firewall. */
  webrtcPorts: z
    .string()
    .regex(/^\d{1,5}-\d{1,5}$/, "a range like 40000-40999")
    .optional()
    .transform((v): readonly [number, number] | undefined => {
      if (v === undefined) return undefined;
      const [min = 0, max = 0] = v.split("-").map(Number);
      return [min, max];
    }),
  /**
   * STUN and TURN servers for browser calls behind NAT, as JSON: a list of `{"urls": ..., "username"?, "credential"?}`
   * (the browser's `RTCIceServer`). Used by the server's side of each call.
   */
  webrtcIceServers: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return [];
      const parsed = IceServers.safeParse(safeJson(v));
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: 'a JSON list of {"urls": "stun:host:port" | [...], "username"?, "credential"?}' });
      return z.NEVER;
    }),
  /** The SIP digest realm: SIP accounts' and trunks' HA1s are computed for it (changing it means new passwords). */
  sipRealm: z.string().min(1).max(100).default("switchboard"),
  /** Demo data (the `demo` tenant, an admin user) on first start. */
  seedDemo: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});

export type Config = z.infer<typeof ConfigSchema>;

const ENV_NAMES: Record<keyof Config, string> = {
  host: "SWITCHBOARD_HOST",
  port: "SWITCHBOARD_PORT",
  publicUrl: "SWITCHBOARD_PUBLIC_URL",
  dataDir: "SWITCHBOARD_DATA_DIR",
  databaseUrl: "SWITCHBOARD_DATABASE_URL",
  bootstrapApiKey: "SWITCHBOARD_BOOTSTRAP_API_KEY",
  platformApiKey: "SWITCHBOARD_PLATFORM_API_KEY",
  logLevel: "SWITCHBOARD_LOG_LEVEL",
  bodyLimitBytes: "SWITCHBOARD_BODY_LIMIT_BYTES",
  rateLimitPerMinute: "SWITCHBOARD_RATE_LIMIT_PER_MINUTE",
  tokenDefaultMinutes: "SWITCHBOARD_TOKEN_DEFAULT_MINUTES",
  tokenMaxMinutes: "SWITCHBOARD_TOKEN_MAX_MINUTES",
  heartbeatMs: "SWITCHBOARD_HEARTBEAT_MS",
  seedDemo: "SWITCHBOARD_SEED_DEMO",
  smtpUrl: "SWITCHBOARD_SMTP_URL",
  smtpFrom: "SWITCHBOARD_SMTP_FROM",
  devMailboxPort: "SWITCHBOARD_DEV_MAILBOX_PORT",
  attachmentMaxBytes: "SWITCHBOARD_ATTACHMENT_MAX_BYTES",
  widgetTokenMinutes: "SWITCHBOARD_WIDGET_TOKEN_MINUTES",
  sipRealm: "SWITCHBOARD_SIP_REALM",
  webrtcAddress: "SWITCHBOARD_WEBRTC_ADDRESS",
  webrtcAnnouncedAddresses: "SWITCHBOARD_WEBRTC_ANNOUNCED_ADDRESSES",
  webrtcPorts: "SWITCHBOARD_WEBRTC_PORTS",
  webrtcIceServers: "SWITCHBOARD_WEBRTC_ICE_SERVERS",
  sipEnabled: "SWITCHBOARD_SIP_ENABLED",
  sipPort: "SWITCHBOARD_SIP_PORT",
  sipHost: "SWITCHBOARD_SIP_HOST",
  sipPublicAddress: "SWITCHBOARD_SIP_PUBLIC_ADDRESS",
  rtpPorts: "SWITCHBOARD_RTP_PORTS",
  rtpIoThread: "SWITCHBOARD_RTP_IO_THREAD",
  rtpIoNice: "SWITCHBOARD_RTP_IO_NICE",
  sipOverloadLagMs: "SWITCHBOARD_SIP_OVERLOAD_LAG_MS",
  sipTrustLoopback: "SWITCHBOARD_SIP_TRUST_LOOPBACK",
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Builds the configuration from an environment (and overrides, for tests); throws a readable ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const fromFile = env.SWITCHBOARD_CONFIG_FILE ? JSON.parse(readFileSync(env.SWITCHBOARD_CONFIG_FILE, "utf8")) : {};
  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== "") fromEnv[key] = value;
  }
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? "");
      return `  ${ENV_NAMES[key as keyof Config] ?? key}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Where the SQLite database lives when no database URL is set. */
export const sqlitePath = (config: Config): string => path.resolve(config.dataDir, "switchboard.sqlite");

/** The address browser media binds to: the configured one, else the first non-loopback IPv4 interface (see `webrtcAddress`). */
export function webrtcAddressOf(config: Config): string {
  if (config.webrtcAddress) return config.webrtcAddress;
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    // Virtual interfaces of containers and VPNs (werift skips them too).
    if (/^(veth|tun|tap)/.test(name)) continue;
    const found = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (found) return found.address;
  }
  return "127.0.0.1";
}

/** Whether calls from 127.0.0.1 count as a trusted trunk (see `sipTrustLoopback`). */
export const trustsLoopback = (config: Config): boolean =>
  config.sipTrustLoopback === undefined
    ? config.databaseUrl === undefined && config.seedDemo
    : config.sipTrustLoopback === "true";
