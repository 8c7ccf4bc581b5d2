import { Redirect, Route, Switch } from "wouter";
import { AppFrame, type NavItem } from "../shell/layout/app-frame.js";
import { RequireSession } from "../shell/session/require-session.js";
import { EmptyState } from "../shell/ui/feedback.js";
import { KeypadIcon, VoicemailIcon } from "../shell/ui/flow-icons.js";
import {
  BookIcon,
  BuildingIcon,
  ChartIcon,
  ChatIcon,
  DeskPhoneIcon,
  EntryPointIcon,
  HashIcon,
  HeadsetIcon,
  MicIcon,
  PhoneIcon,
  QueueIcon,
  ServerIcon,
  UserCogIcon,
  UsersIcon,
} from "../shell/ui/icons.js";
import { AutoAttendantPage } from "./auto-attendants/auto-attendant-page.js";
import { AutoAttendantsPage } from "./auto-attendants/auto-attendants-page.js";
import { CallPage } from "./calls/call-page.js";
import { CallsPage } from "./calls/calls-page.js";
import { ConversationPage } from "./conversations/conversation-page.js";
import { ConversationsPage } from "./conversations/conversations-page.js";
import { CustomersPage } from "./customers/customers-page.js";
import { EntryPointPage } from "./entry-points/entry-point-page.js";
import { EntryPointsPage } from "./entry-points/entry-points-page.js";
import { KnowledgePage } from "./knowledge/knowledge-page.js";
import { MailboxPage } from "./mailboxes/mailbox-page.js";
import { MailboxesPage } from "./mailboxes/mailboxes-page.js";
import { OrganizationsPage } from "./organizations/organizations-page.js";
import { PhoneNumbersPage } from "./phone-numbers/phone-numbers-page.js";
import { PhonesPage } from "./phones/phones-page.js";
import { QueuesPage } from "./queues/queues-page.js";
import { RecordingsPage } from "./recordings/recordings-page.js";
import { TrunkPage } from "./trunks/trunk-page.js";
import { TrunksPage } from "./trunks/trunks-page.js";
import { UsersPage } from "./users/users-page.js";
import "./admin.css";

const NAV: readonly NavItem[] = [
  { href: "/conversations", label: "Conversations", icon: <ChatIcon /> },
  { href: "/entry-points", label: "Entry points", icon: <EntryPointIcon /> },
  { href: "/queues", label: "Queues", icon: <QueueIcon /> },
  { href: "/knowledge", label: "Knowledge base", icon: <BookIcon /> },
  { href: "/customers", label: "Customers", icon: <UsersIcon /> },
  { href: "/users", label: "Users", icon: <UserCogIcon /> },
  { href: "/organizations", label: "Organizations", icon: <BuildingIcon /> },
  { href: "/calls", label: "Calls", icon: <PhoneIcon /> },
  { href: "/recordings", label: "Recordings", icon: <MicIcon /> },
  { href: "/phone-numbers", label: "Phone numbers", icon: <HashIcon /> },
  { href: "/auto-attendants", label: "Auto attendants", icon: <KeypadIcon /> },
  { href: "/mailboxes", label: "Mailboxes", icon: <VoicemailIcon /> },
  { href: "/trunks", label: "Trunks", icon: <ServerIcon /> },
  { href: "/phones", label: "Phones", icon: <DeskPhoneIcon /> },
  // The other audiences' apps (absolute paths: wouter's `~`); admins take chats and watch queues too.
  { href: "~/supervisor/", label: "Live view", icon: <ChartIcon /> },
  { href: "~/agent/", label: "Agent desktop", icon: <HeadsetIcon /> },
];

/** The admin console, mounted at /admin: its pages behind an admin sign-in. */
export default function AdminApp() {
  return (
    <RequireSession audience="Admin console" roles={["admin"]}>
      <AppFrame audience="Admin console" nav={NAV}>
        <Switch>
          <Route path="/">
            <Redirect to="/conversations" replace />
          </Route>
          <Route path="/conversations" component={ConversationsPage} />
          <Route path="/conversations/:id">{(params) => <ConversationPage key={params.id} id={params.id} />}</Route>
          <Route path="/entry-points" component={EntryPointsPage} />
          <Route path="/entry-points/new">
            <EntryPointPage />
          </Route>
          <Route path="/entry-points/:id">{(params) => <EntryPointPage key={params.id} id={params.id} />}</Route>
          <Route path="/knowledge" component={KnowledgePage} />
          <Route path="/knowledge/bot" component={KnowledgePage} />
          <Route path="/customers" component={CustomersPage} />
          <Route path="/queues" component={QueuesPage} />
          <Route path="/users" component={UsersPage} />
          <Route path="/organizations" component={OrganizationsPage} />
          <Route path="/calls" component={CallsPage} />
          <Route path="/calls/:id">{(params) => <CallPage key={params.id} id={params.id} />}</Route>
          <Route path="/recordings" component={RecordingsPage} />
          <Route path="/phone-numbers" component={PhoneNumbersPage} />
          <Route path="/auto-attendants" component={AutoAttendantsPage} />
          <Route path="/auto-attendants/new">
            <AutoAttendantPage />
          </Route>
          <Route path="/auto-attendants/:id">{(params) => <AutoAttendantPage key={params.id} id={params.id} />}</Route>
          <Route path="/mailboxes" component={MailboxesPage} />
          <Route path="/mailboxes/:id">{(params) => <MailboxPage key={params.id} id={params.id} />}</Route>
          <Route path="/trunks" component={TrunksPage} />
          <Route path="/trunks/new">
            <TrunkPage />
          </Route>
          <Route path="/trunks/:id">{(params) => <TrunkPage key={params.id} id={params.id} />}</Route>
          <Route path="/phones" component={PhonesPage} />
          <Route>
            <div className="page">
              <EmptyState title="Page not found">There is nothing at this address. Pick a page from the menu.</EmptyState>
            </div>
          </Route>
        </Switch>
      </AppFrame>
    </RequireSession>
  );
}
