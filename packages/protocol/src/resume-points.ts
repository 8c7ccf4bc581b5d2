/**
 * The `?resumeFrom=` format of the real-time socket, without zod: browser bundles (the widget) import this
 * file alone as `@switchboard/protocol/resume-points` and stay free of the schema library.
 */

/** The last stored sequence seen per thread. */
export type ResumePointMap = Record<string, number>;

/** Parses `threadA:12,threadB:3` into resume points; undefined when malformed. */
export function parseResumeFrom(value: string): ResumePointMap | undefined {
  const points: ResumePointMap = {};
  for (const part of value.split(",")) {
    if (part === "") continue;
    const at = part.lastIndexOf(":");
    const threadId = part.slice(0, at);
    const sequence = Number(part.slice(at + 1));
    if (at <= 0 || !Number.isInteger(sequence) || sequence < 0) return undefined;
    points[threadId] = sequence;
  }
  return points;
}

export const formatResumeFrom = (points: ResumePointMap): string =>
  Object.entries(points)
    .map(([threadId, sequence]) => `${threadId}:${sequence}`)
    .join(",");
