/** One of the choices a select or a list of checkboxes offers (kept apart from the components, for plain logic). */
export interface Choice<T extends string> {
  value: T;
  label: string;
  /** Said under the label, or in a select after it. */
  description?: string;
}
