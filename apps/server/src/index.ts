export { type BuildOptions, buildServer, type Server } from "./app.js";
export { DEMO_ADMIN_EMAIL, DEMO_TENANT_SLUG } from "./bootstrap.js";
export { type Config, ConfigError, loadConfig } from "./config.js";
