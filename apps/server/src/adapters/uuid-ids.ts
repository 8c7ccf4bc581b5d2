import type { IdGenerator } from "@switchboard/core";
import { v7 } from "uuid";

/** UUIDv7: time-ordered, so ids sort by creation and index well. */
export const uuidV7Ids: IdGenerator = { next: () => v7() };
