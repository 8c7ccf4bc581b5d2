import { z } from "zod";

/** RFC 9457 problem details, with our stable `code` and, for validation errors, the fields at fault. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().describe("Stable, machine-readable error code, e.g. `thread.not_found`."),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

export const Id = z.string().min(1).max(64);
export const Timestamp = z.string().describe("ISO 8601 date and time, UTC");
export const Metadata = z.record(z.string().max(128), z.string()).describe("String keys and values");
export type Metadata = z.infer<typeof Metadata>;

export const IdParam = z.object({ id: Id });

export const PageQuery = z.object({
  after: z.string().max(64).optional().describe("Cursor from the previous page's `next`"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });
