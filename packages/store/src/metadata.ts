import type { Metadata } from "@switchboard/core";

/** Metadata as stored: JSON with sorted keys, so equal metadata is equal text (compared in SQL). */
export const metadataToJson = (metadata: Metadata): string =>
  JSON.stringify(Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

export const metadataFromJson = (json: string): Metadata => JSON.parse(json) as Metadata;
