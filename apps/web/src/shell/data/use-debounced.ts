import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms`: for search boxes that ask the server. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = globalThis.setTimeout(() => setSettled(value), ms);
    return () => globalThis.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
