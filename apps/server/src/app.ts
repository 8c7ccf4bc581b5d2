import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import websocket from "@fastify/websocket";
import * as core from "@switchboard/core";
import { openStore, type Store } from "@switchboard/store";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { apiKeySecrets } from "./adapters/crypto.js";
import { uuidV7Ids } from "./adapters/uuid-ids.js";
import { type Bootstrapped, bootstrapDemoTenant, DEMO_TENANT_SLUG } from "./bootstrap.js";
import { type Config, sqlitePath } from "./config.js";
import { seedDemoCallCenter, seedDemoTelephony } from "./demo/northwind.js";
import { type Domain, wireDomain } from "./domain.js";
import { credentialOf, makeAuthenticator } from "./http/auth.js";
import type { RouteContext } from "./http/context.js";
import { toProblem } from "./http/problem.js";
import { attachmentRoutes } from "./http/routes/attachment-routes.js";
import { callRoutes } from "./http/routes/call-routes.js";
import { chatRoutes } from "./http/routes/chat-routes.js";
import { conversationRoutes } from "./http/routes/conversation-routes.js";
import { customerRoutes } from "./http/routes/customer-routes.js";
import { devMailboxRoutes } from "./http/routes/dev-mailbox-routes.js";
import { flowRoutes } from "./http/routes/flow-routes.js";
import { identityRoutes } from "./http/routes/identity-routes.js";
import { knowledgeRoutes } from "./http/routes/knowledge-routes.js";
import { liveCallRoutes } from "./http/routes/live-call-routes.js";
import { organizationRoutes } from "./http/routes/organization-routes.js";
import { recordingRoutes } from "./http/routes/recording-routes.js";
import { routingRoutes } from "./http/routes/routing-routes.js";
import { telephonyRoutes } from "./http/routes/telephony-routes.js";
import { webAppRoutes } from "./http/routes/web-app-routes.js";
import { widgetRoutes } from "./http/routes/widget-routes.js";
import type { RealtimeHub } from "./realtime/hub.js";
import { realtimeRoute } from "./realtime/realtime-route.js";
import { TelephonyService } from "./telephony/telephony-service.js";

export interface Server {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly hub: RealtimeHub;
  readonly domain: Domain;
  /** Set when this start created the demo tenant. */
  readonly bootstrapped: Bootstrapped | undefined;
  /** The SIP side, unless turned off (`SWITCHBOARD_SIP_ENABLED=false`). */
  readonly telephony: TelephonyService | undefined;
  close(): Promise<void>;
}

export interface BuildOptions {
  /** A cheaper password hash for tests (scrypt cost). */
  readonly passwordCost?: number;
  readonly adminPassword?: string;
}

/** Where the widget's bundle and the demo site are, relative to this file (dist/ or src/). */
const widgetApp = fileURLToPath(new URL("../../widget/", import.meta.url));
const webApp = fileURLToPath(new URL("../../web/", import.meta.url));

/** The composition root: opens the store, wires the core to its adapters, and builds the HTTP server. */
export async function buildServer(config: Config, options: BuildOptions = {}): Promise<Server> {
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => uuidV7Ids.next(),
    // Per-request log lines only when debugging; metrics count requests anyway.
    logController: new LogController({ disableRequestLogging: config.logLevel !== "debug" && config.logLevel !== "trace" }),
  });
  const store = openStore({
    ...(config.databaseUrl ? { url: config.databaseUrl } : { sqlitePath: sqlitePath(config) }),
  });
  await store.migrate();
  const onError = (error: unknown) => app.log.error({ err: error }, "background work failed");
  const domain = await wireDomain(config, store, {
    passwordCost: options.passwordCost,
    onError,
    onInfo: (message) => app.log.info(message),
  });
  const { identity, hub, metrics } = domain;
  const platformKeyDigest = config.platformApiKey ? apiKeySecrets.digest(config.platformApiKey) : undefined;
  const ctx: RouteContext = { ...domain, authenticator: makeAuthenticator(identity, platformKeyDigest) };

  const bootstrapped = config.seedDemo
    ? await bootstrapDemoTenant(domain, { apiKey: config.bootstrapApiKey, adminPassword: options.adminPassword })
    : undefined;
  if (config.seedDemo) {
    const demo = await store.identities.getTenantBySlug(DEMO_TENANT_SLUG);
    if (demo) {
      await seedDemoTelephony(domain.telephony, demo.id);
      // The demo call center is a convenience: a tenant whose data clashes with it (a user or an extension
      // of its own) still starts, without it.
      await seedDemoCallCenter(domain, demo.id).catch((error: unknown) =>
        app.log.warn({ err: error }, "could not set up the demo call center (+15550101)"),
      );
    }
  }
  const telephony = config.sipEnabled
    ? await TelephonyService.start({
        config,
        telephony: domain.telephony,
        callRecords: domain.callRecords,
        recordings: domain.recordings,
        liveCalls: domain.liveCalls,
        sipLocations: store.sipLocations,
        queueByName: (tenantId, name) => store.queues.getQueueByName(tenantId, name),
        secrets: store.secrets,
        ids: uuidV7Ids,
        flows: {
          autoAttendants: store.autoAttendants,
          voicemail: store.voicemail,
          queues: store.queues,
          sipAccounts: store.sipAccounts,
          users: store.identities,
          passwords: identity.passwords,
          lane: (handle) => domain.routing.laneForCalls(handle),
          onVoicemail: (message, mailbox) => {
            app.log.info({ mailboxId: mailbox.id, messageId: message.id, callId: message.callId }, "voicemail left");
            void notifyVoicemail(domain, message, mailbox).catch(onError);
          },
        },
        logger: app.log,
      })
    : undefined;
  domain.onTelephonyChanged((_tenantId, what) => {
    if (what === "trunks") void telephony?.reloadTrunks().catch(onError);
  });
  if (telephony) metrics.watchTelephony(() => telephony.stats());

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("principal", null);

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    const body = JSON.stringify({ ...problem, instance: request.url.split("?")[0] });
    if (request.ws) {
      // A refused WebSocket upgrade: answer on the raw socket and end it gracefully, so the client
      // reads the problem (the plugin would destroy the socket before the answer is flushed).
      reply.hijack();
      request.raw.socket.end(
        `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    reply.code(problem.status).type("application/problem+json").send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .type("application/problem+json")
      .send(
        JSON.stringify({
          type: "https://switchboard.dev/problems/route.not_found",
          title: "Not found",
          status: 404,
          code: "route.not_found",
          detail: `No route ${request.method} ${request.url.split("?")[0]}.`,
        }),
      );
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Any page may call the API from the browser: credentials are bearer tokens, never cookies, so a page
  // cannot act for anyone without a token; which pages may embed the widget is the entry point's decision.
  await app.register(cors, {
    origin: "*",
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type"],
    exposedHeaders: ["retry-after", "idempotent-replayed"],
    maxAge: 600,
  });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const credential = credentialOf(request);
      return credential ? createHash("sha256").update(credential).digest("base64url") : `ip:${request.ip}`;
    },
    allowList: (request) => !request.url.startsWith("/v1/"),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: "rate_limited",
      message: `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s.`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Switchboard API",
        version: "0.1.0",
        description:
          "Contact center platform API. Authenticate with `Authorization: Bearer <API key or access token>`. " +
          "Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // The schemas with an id (`.meta({ id })`) as components: the routes' `$ref`s point there, and a
    // recursive schema (an auto attendant's menu) can only be described by reference.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    try {
      await store.ping();
      return { status: "ready", database: store.dialect };
    } catch (error) {
      app.log.warn({ err: error }, "readiness check failed");
      return reply
        .code(503)
        .type("application/problem+json")
        .send(JSON.stringify({ type: "about:blank", title: "Service unavailable", status: 503, code: "store.unavailable" }));
    }
  });
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  await app.register(identityRoutes(ctx));
  await app.register(chatRoutes(ctx));
  await app.register(attachmentRoutes(ctx));
  await app.register(conversationRoutes(ctx));
  await app.register(customerRoutes(ctx));
  await app.register(knowledgeRoutes(ctx));
  await app.register(routingRoutes(ctx));
  await app.register(organizationRoutes(ctx));
  await app.register(telephonyRoutes(ctx));
  await app.register(callRoutes(ctx));
  await app.register(liveCallRoutes(ctx));
  await app.register(flowRoutes(ctx));
  await app.register(recordingRoutes(ctx));
  await app.register(
    widgetRoutes(ctx, {
      bundle: path.join(widgetApp, "dist", "widget.js"),
      demoDir: path.join(widgetApp, "demo"),
      demoEntryPointId: async () => {
        const tenant = await store.identities.getTenantBySlug(DEMO_TENANT_SLUG);
        return tenant && (await store.entryPoints.listEntryPoints(tenant.id))[0]?.id;
      },
    }),
  );
  // One web app, one shell per audience: the same page under each prefix; its assets live under /admin/assets.
  for (const prefix of ["/admin", "/agent", "/supervisor"]) {
    await app.register(webAppRoutes(path.join(webApp, "dist")), { prefix });
  }
  if (domain.mailbox) await app.register(devMailboxRoutes(domain.mailbox));
  await app.register(
    realtimeRoute(ctx, {
      hub,
      heartbeatMs: config.heartbeatMs,
      onError,
      ...(telephony ? { webPhones: telephony.webPhones, browserCalls: telephony.browserCalls } : {}),
    }),
  );

  let closed = false;
  return {
    app,
    store,
    hub,
    domain,
    bootstrapped,
    telephony,
    async close() {
      if (closed) return;
      closed = true;
      await telephony?.close();
      await app.close();
      await domain.close();
      await store.close();
    },
  };
}

/** Emails a new voicemail's recipients (SMTP, or the development mailbox when none is configured). */
async function notifyVoicemail(domain: Domain, message: core.VoicemailMessage, mailbox: core.Mailbox): Promise<void> {
  if (mailbox.notifyEmails.length === 0) return;
  const companyName = (await domain.identity.store.getTenant(message.tenantId))?.name ?? "Switchboard";
  for (const email of core.voicemailEmails(message, mailbox, { companyName })) await domain.verification.email.send(email);
}
