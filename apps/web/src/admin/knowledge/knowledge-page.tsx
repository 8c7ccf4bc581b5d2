import { Link, Route, Switch, useLocation } from "wouter";
import { PageHeader } from "../../shell/ui/page.js";
import { BotSettingsPage } from "./bot-settings-page.js";
import { FaqPage } from "./faq-page.js";

const TABS = [
  { href: "/knowledge", label: "Questions and answers" },
  { href: "/knowledge/bot", label: "Bot settings" },
] as const;

export function KnowledgePage() {
  const [location] = useLocation();
  return (
    <div className="page">
      <PageHeader
        title="Knowledge base"
        description="What the bot knows: the answers it gives, and how it understands customers."
      />
      <nav className="tabs" aria-label="Knowledge base">
        {TABS.map((tab) => (
          <Link key={tab.href} href={tab.href} className="tab" aria-current={location === tab.href ? "page" : undefined}>
            {tab.label}
          </Link>
        ))}
      </nav>
      <Switch>
        <Route path="/knowledge/bot" component={BotSettingsPage} />
        <Route component={FaqPage} />
      </Switch>
    </div>
  );
}
