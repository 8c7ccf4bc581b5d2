import { Redirect, Route, Switch } from "wouter";
import { RequireSession } from "../shell/session/require-session.js";
import { AgentDesktop } from "./desk/agent-desktop.js";
import "./agent.css";

/** The agent desktop, mounted at /agent: one screen behind a sign-in (agents, and supervisors and admins who take chats). */
export default function AgentApp() {
  return (
    <RequireSession audience="Agent desktop" roles={["agent", "supervisor", "admin"]}>
      <Switch>
        <Route path="/" component={AgentDesktop} />
        <Route>
          <Redirect to="/" replace />
        </Route>
      </Switch>
    </RequireSession>
  );
}
