import { type ReactNode, useEffect, useState } from "react";
import { Link, useLocation } from "wouter";
import { useSession } from "../session/session-context.js";
import { CloseIcon, Logo, MenuIcon, SignOutIcon } from "../ui/icons.js";

export interface NavItem {
  /** Relative to the audience's base (`/entry-points` under `/admin`). */
  href: string;
  label: string;
  icon: ReactNode;
}

/** Whether `location` is `href` or below it. */
export const isActive = (location: string, href: string): boolean => location === href || location.startsWith(`${href}/`);

/**
 * The frame of one audience's app: a sidebar with its pages on wide screens, a top bar with a menu on
 * phones; the signed-in user and Sign out at the end of the navigation.
 */
export function AppFrame({ audience, nav, children }: { audience: string; nav: readonly NavItem[]; children: ReactNode }) {
  const { session, signOut } = useSession();
  const [location] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  // A page chosen from the menu closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation
  useEffect(() => setMenuOpen(false), [location]);

  const user = session?.user;
  return (
    <div className={`frame${menuOpen ? " frame-menu-open" : ""}`}>
      <header className="topbar">
        <Link href="/" className="brand">
          <Logo />
          <span className="brand-name">Switchboard</span>
        </Link>
        <button
          type="button"
          className="icon-btn topbar-menu"
          aria-expanded={menuOpen}
          aria-controls="app-nav"
          aria-label={menuOpen ? "Close menu" : "Open menu"}
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? <CloseIcon size={22} /> : <MenuIcon size={22} />}
        </button>
      </header>
      <nav className="sidebar" id="app-nav" aria-label={audience}>
        <Link href="/" className="brand sidebar-brand">
          <Logo />
          <span className="brand-name">Switchboard</span>
        </Link>
        <div className="sidebar-audience">{audience}</div>
        <ul className="nav-list">
          {nav.map((item) => (
            <li key={item.href}>
              <Link
                href={item.href}
                className={(active) => `nav-link${active || isActive(location, item.href) ? " nav-link-active" : ""}`}
                aria-current={isActive(location, item.href) ? "page" : undefined}
              >
                {item.icon}
                <span>{item.label}</span>
              </Link>
            </li>
          ))}
        </ul>
        {user ? (
          <div className="sidebar-user">
            <div className="avatar" aria-hidden="true">
              {initials(user.displayName || user.email)}
            </div>
            <div className="sidebar-user-text">
              <span className="sidebar-user-name">{user.displayName}</span>
              <span className="sidebar-user-email">{user.email}</span>
            </div>
            <button type="button" className="icon-btn" onClick={() => signOut()} aria-label="Sign out" title="Sign out">
              <SignOutIcon />
            </button>
          </div>
        ) : null}
      </nav>
      <button type="button" className="scrim" aria-label="Close menu" tabIndex={-1} onClick={() => setMenuOpen(false)} />
      <main className="content">{children}</main>
    </div>
  );
}

export function initials(name: string): string {
  const words = name
    .replace(/@.*/, "")
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words.length >= 2 ? `${words[0]?.[0] ?? ""}${words[1]?.[0] ?? ""}` : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}
