import { useLocation, useSearch } from "wouter";

export interface UrlFilters {
  /** The page's query now. */
  params: URLSearchParams;
  /** Sets one filter (an empty value drops it), in place of the current URL: Back leaves the page. */
  setFilter: (name: string, value: string) => void;
  /** Drops every filter. */
  clear: () => void;
}

/** A list page's filters kept in its URL (`/calls?result=missed`), so that a link or a reload keeps them. */
export function useUrlFilters(): UrlFilters {
  const [path, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  return {
    params,
    setFilter: (name, value) => {
      const next = new URLSearchParams(params);
      if (value) next.set(name, value);
      else next.delete(name);
      const search = next.toString();
      navigate(`${path}${search ? `?${search}` : ""}`, { replace: true });
    },
    clear: () => navigate(path, { replace: true }),
  };
}
