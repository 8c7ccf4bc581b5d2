import type { Pages } from "../data/use-pages.js";
import { ErrorNotice } from "./feedback.js";

/** Under a list read a page at a time: why the next page failed, and the button that loads it while there is one. */
export function LoadMore({ pages }: { pages: Pick<Pages<unknown>, "data" | "loadMore" | "loadingMore" | "moreError"> }) {
  return (
    <>
      {pages.moreError ? <ErrorNotice error={pages.moreError} onRetry={pages.loadMore} /> : null}
      {pages.data?.next ? (
        <div className="load-more">
          <button type="button" className="btn" onClick={pages.loadMore} disabled={pages.loadingMore}>
            {pages.loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}
