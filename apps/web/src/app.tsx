import { lazy, Suspense } from "react";
import { Redirect, Route, Switch } from "wouter";
import { ErrorBoundary } from "./shell/errors/error-boundary.js";
import { loadChunk } from "./shell/errors/load-chunk.js";
import { SessionProvider } from "./shell/session/session-context.js";
import { Loading } from "./shell/ui/feedback.js";

// One bundle entry, one router; each audience's app is its own chunk, loaded when its path is opened.
const AdminApp = lazy(() => loadChunk(() => import("./admin/admin-app.js")));
const AgentApp = lazy(() => loadChunk(() => import("./agent/agent-app.js")));
const SupervisorApp = lazy(() => loadChunk(() => import("./supervisor/supervisor-app.js")));

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
            <Route path="/agent" nest>
              <AgentApp />
            </Route>
            <Route path="/supervisor" nest>
              <SupervisorApp />
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
