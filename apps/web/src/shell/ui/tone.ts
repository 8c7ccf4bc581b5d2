/** The colour of a badge or an icon, by what it says: calm by default, green for good, amber for waiting. */
export type Tone = "neutral" | "accent" | "success" | "warning" | "danger";
