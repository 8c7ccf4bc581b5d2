import { useCallback, useEffect, useRef, useState } from "react";
import { type Resource, useResource } from "./use-resource.js";

/** A page of a list as the API answers it: `next` is the cursor of the page after it, null at the end. */
export interface Paged<T> {
  items: T[];
  next: string | null;
}

export interface Pages<T> extends Resource<Paged<T>> {
  /** Loads the page after the ones loaded and appends it. */
  loadMore: () => void;
  loadingMore: boolean;
  /** Why the last `loadMore` failed; cleared when the next starts. */
  moreError: unknown;
}

/**
 * A list read a page at a time with the server's cursor: the first page loads like `useResource` (again
 * whenever `load` changes: wrap it in useCallback with the filters), `loadMore` appends the next one. A
 * page still loading when the filters change is dropped, so that it does not land in the new list.
 */
export function usePages<T>(load: (after: string | undefined, signal: AbortSignal) => Promise<Paged<T>>): Pages<T> {
  const first = useCallback((signal: AbortSignal) => load(undefined, signal), [load]);
  const resource = useResource(first);
  const { data, update } = resource;
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const more = useRef<AbortController | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters (a new `load`) drop the old list's next page
  useEffect(() => {
    setMoreError(undefined);
    return () => {
      more.current?.abort();
      setLoadingMore(false);
    };
  }, [load]);

  const loadMore = useCallback(() => {
    const after = data?.next;
    if (!after) return;
    more.current?.abort();
    const controller = new AbortController();
    more.current = controller;
    setLoadingMore(true);
    setMoreError(undefined);
    load(after, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        update((d) => ({ items: [...d.items, ...page.items], next: page.next }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(error);
        setLoadingMore(false);
      },
    );
  }, [data?.next, load, update]);

  // A reload starts the list afresh: a next page of the old one must not land in it.
  const { reload: reloadFirst } = resource;
  const reload = useCallback(() => {
    more.current?.abort();
    setLoadingMore(false);
    reloadFirst();
  }, [reloadFirst]);

  return { ...resource, reload, loadMore, loadingMore, moreError };
}
