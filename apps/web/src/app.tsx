import { lazy, Suspense } from "react";
import { Redirect, Route, Switch } from "wouter";
import { ErrorBoundary } from "./shell/errors/error-boundary.js";
import { loadChunk } from "./shell/errors/load-chunk.js";
import { SessionProvider } from "./shell/session/session-context.js";
import { Loading } from "./shell/ui/feedback.js";

// One bundle entry, one router; each audience's app is its own chunk, loaded when its path is opened.
// The agent desktop (/agent) and the supervisor dashboard join here as further routes.
const AdminApp = lazy(() => loadChunk(() => import("./admin/admin-app.js")));

export function App() {
  return (
    <ErrorBoundary>
      <SessionProvider>
        <Suspense
          fallback={
            <div className="boot">
              <Loading />
            </div>
          }
        >
          <Switch>
            <Route path="/admin" nest>
              <AdminApp />
            </Route>
            <Route>
              <Redirect to="/admin/" replace />
            </Route>
          </Switch>
        </Suspense>
      </SessionProvider>
    </ErrorBoundary>
  );
}
