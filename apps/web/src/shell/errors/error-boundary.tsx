import { Component, type ErrorInfo, type ReactNode } from "react";

/** The last line of defence: a page that throws while rendering shows this instead of a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <main className="auth-page">
        <div className="auth-card" role="alert">
          <h1 className="auth-title">Something went wrong</h1>
          <p className="muted">
            {this.state.error instanceof Error ? this.state.error.message : "The page could not be shown."} Reloading usually
            helps; if it does not, the server may be updating.
          </p>
          <button type="button" className="btn btn-primary btn-block" onClick={() => globalThis.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
}
