import { useCallback, useEffect, useRef, useState } from "react";
import { isAbort } from "../errors/describe-error.js";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** True while a load runs; `data` keeps the last result meanwhile, so a reload does not flash. */
  loading: boolean;
  reload: () => void;
  /** Changes the loaded data in place (after a save), without asking the server again. */
  update: (change: (data: T) => T) => void;
}

/**
 * Loads data for a page and loads it again whenever `load` changes (wrap it in useCallback with its inputs).
 * A load that has been superseded is aborted and its answer ignored.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const current = useRef<AbortController | undefined>(undefined);

  const start = useCallback(() => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setState((s) => ({ ...s, error: undefined, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return controller;
  }, [load]);

  useEffect(() => {
    const controller = start();
    return () => controller.abort();
  }, [start]);

  const update = useCallback((change: (data: T) => T) => {
    setState((s) => (s.data === undefined ? s : { ...s, data: change(s.data) }));
  }, []);

  return { ...state, reload: start, update };
}
