import { useCallback, useEffect, useState } from "react";

/**
 * A value shown for a moment ("Saved", "Published version 3"), then gone: `show` sets it, and it clears
 * itself after `ms` (a new `show` starts the moment again).
 */
export function useBriefly<T>(ms = 2500): [T | undefined, (value: T) => void] {
  const [state, setState] = useState<{ value: T } | undefined>(undefined);
  useEffect(() => {
    if (state === undefined) return;
    const timer = globalThis.setTimeout(() => setState(undefined), ms);
    return () => globalThis.clearTimeout(timer);
  }, [state, ms]);
  const show = useCallback((value: T) => setState({ value }), []);
  return [state?.value, show];
}
