import type { FastifyRequest } from "fastify";

/** The server's address as the client reached it (for links and embed codes). */
export const baseUrlOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;
