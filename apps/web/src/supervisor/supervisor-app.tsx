import { Redirect, Route, Switch } from "wouter";
import { AppFrame, type NavItem } from "../shell/layout/app-frame.js";
import { RequireSession } from "../shell/session/require-session.js";
import { ChartIcon, HeadsetIcon } from "../shell/ui/icons.js";
import { LivePage } from "./live-page.js";
import "./supervisor.css";

const NAV: readonly NavItem[] = [
  { href: "/live", label: "Live view", icon: <ChartIcon /> },
  // Outside this app: an absolute path (wouter's `~`), opened by the agent desktop's own router.
  { href: "~/agent/", label: "Agent desktop", icon: <HeadsetIcon /> },
];

/** The supervisor's view, mounted at /supervisor: queues and agents, live. */
export default function SupervisorApp() {
  return (
    <RequireSession audience="Supervisor view" roles={["supervisor", "admin"]}>
      <AppFrame audience="Supervisor" nav={NAV}>
        <Switch>
          <Route path="/live" component={LivePage} />
          <Route>
            <Redirect to="/live" replace />
          </Route>
        </Switch>
      </AppFrame>
    </RequireSession>
  );
}
