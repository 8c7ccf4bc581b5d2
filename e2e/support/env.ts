/** Where the browser tests' servers run; shared by playwright.config.ts and the specs. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 18_765);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The demo tenant's admin API key in the browser tests. */
export const E2E_API_KEY = "sk_e2e_bootstrap_key_0123456789";
/** The SMTP sink the server sends email to (e2e/support/smtp-sink.mjs), and where tests read it. */
export const E2E_SMTP_PORT = E2E_PORT + 1;
export const E2E_MAILBOX_URL = `http://127.0.0.1:${E2E_PORT + 2}/messages`;
/** The server's SIP port (UDP and TCP) in the browser tests, fixed so that a test can place a call to it. */
export const E2E_SIP_PORT = E2E_PORT + 3;
