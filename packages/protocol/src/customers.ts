import { z } from "zod";
import { Id, Metadata, pageOf, Timestamp } from "./common.js";

export const Customer = z
  .object({
    id: Id,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    externalId: z.string().nullable(),
    attributes: Metadata,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Customer" });
export type Customer = z.infer<typeof Customer>;
export const CustomerPage = pageOf(Customer);
export type CustomerPage = z.infer<typeof CustomerPage>;

export const CustomerInput = z.object({
  name: z.string().min(1).max(200),
  email: z.email().max(254).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  externalId: z.string().max(128).nullable().optional(),
  attributes: Metadata.optional(),
});
export type CustomerInput = z.infer<typeof CustomerInput>;

export const CustomerQuery = z.object({
  query: z.string().max(200).optional(),
  after: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CustomerImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })),
});
export type CustomerImportResult = z.infer<typeof CustomerImportResult>;
