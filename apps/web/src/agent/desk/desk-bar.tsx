import type { Presence, Worker } from "@switchboard/protocol";
import type { CallRegistration, RealtimeState, SettablePresence } from "@switchboard/sdk";
import { useState } from "react";
import { Link } from "wouter";
import { describeError } from "../../shell/errors/describe-error.js";
import { initials } from "../../shell/layout/app-frame.js";
import { formatDuration, presenceInfo, SETTABLE_PRESENCES } from "../../shell/routing/presence.js";
import { PresenceDot } from "../../shell/routing/presence-pill.js";
import { useSession } from "../../shell/session/session-context.js";
import { BellIcon, BellOffIcon, ChartIcon, HeadsetIcon, KeyboardIcon, Logo, SignOutIcon } from "../../shell/ui/icons.js";
import { registrationLabel } from "../calls/call-state.js";
import { DialOut } from "../calls/dial-out.js";
import type { Chime } from "../offers/use-chime.js";

/**
 * The desk's top bar: presence (wrap-up shown when the server sets it), load against capacity, the connection
 * when it is not live, where calls ring, the offer sound, shortcuts, and the signed-in user.
 */
export function DeskBar({
  worker,
  openCount,
  realtime,
  calls,
  chime,
  now,
  onPresence,
  onShortcuts,
  onPlaceCall,
}: {
  worker: Worker | undefined;
  openCount: number;
  realtime: RealtimeState;
  calls: CallRegistration;
  chime: Chime;
  now: number;
  onPresence: (presence: SettablePresence) => Promise<void>;
  onShortcuts: () => void;
  /** Places a call from this browser (shown while it takes calls). */
  onPlaceCall?: (to: string) => Promise<boolean>;
}) {
  const { session, signOut } = useSession();
  const [presenceError, setPresenceError] = useState<string | undefined>(undefined);
  const user = session?.user;
  const canSupervise = user?.role === "supervisor" || user?.role === "admin";

  const change = (value: string) => {
    setPresenceError(undefined);
    onPresence(value as SettablePresence).catch((error: unknown) => {
      const { title, detail } = describeError(error);
      setPresenceError(detail ?? title);
    });
  };

  const presence: Presence | undefined = worker?.presence;
  const callsLabel = registrationLabel(calls);
  const since = worker ? Math.max(0, (now - Date.parse(worker.presenceSince)) / 1000) : 0;

  return (
    <header className="desk-bar">
      <div className="desk-brand">
        <Logo size={22} />
        <span className="brand-name">Switchboard</span>
        <span className="desk-audience">Agent desktop</span>
      </div>
      <div className="desk-bar-main">
        {presence ? (
          <label className={`presence-select presence-${presence}`} title={presenceInfo(presence).hint}>
            <PresenceDot />
            <select aria-label="Presence" value={presence} onChange={(e) => change(e.target.value)}>
              {SETTABLE_PRESENCES.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
              {presence === "wrap_up" ? (
                <option value="wrap_up" disabled>
                  Wrap-up · {formatDuration(since)}
                </option>
              ) : null}
            </select>
          </label>
        ) : null}
        {presenceError ? (
          <span className="desk-bar-error" role="alert">
            {presenceError}
          </span>
        ) : null}
        {worker ? <LoadMeter load={worker.load} capacity={worker.settings.capacity} conversations={openCount} /> : null}
        {realtime !== "open" ? (
          <span className="conn-chip" role="status">
            <span className="spinner spinner-sm" aria-hidden="true" />
            {realtime === "reconnecting" ? "Reconnecting…" : "Connecting…"}
          </span>
        ) : null}
        {callsLabel && realtime === "open" ? (
          <span
            className={`calls-chip calls-chip-${callsLabel.tone}`}
            role="status"
            title={
              callsLabel.tone === "on"
                ? "Calls from your queues ring here, in this browser, as well as on any desk phone"
                : callsLabel.tone === "off"
                  ? "This browser cannot take calls: they ring your desk phone"
                  : undefined
            }
          >
            <HeadsetIcon size={14} />
            {callsLabel.text}
          </span>
        ) : null}
        {onPlaceCall && callsLabel?.tone === "on" && realtime === "open" ? (
          <DialOut disabled={false} onCall={onPlaceCall} />
        ) : null}
      </div>
      <div className="desk-bar-end">
        <button
          type="button"
          className={`icon-btn${!chime.muted && !chime.armed ? " icon-btn-attention" : ""}`}
          aria-pressed={!chime.muted}
          aria-label="Offer sound"
          title={
            chime.muted ? "Offer sound is off" : chime.armed ? "Offer sound is on" : "Offer sound: click anywhere to enable it"
          }
          onClick={() => chime.setMuted(!chime.muted)}
        >
          {chime.muted ? <BellOffIcon /> : <BellIcon />}
        </button>
        <button
          type="button"
          className="icon-btn desk-hide-phone"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts"
          onClick={onShortcuts}
        >
          <KeyboardIcon />
        </button>
        {canSupervise ? (
          <Link href="~/supervisor/" className="btn btn-ghost btn-sm desk-hide-phone" title="Supervisor live view">
            <ChartIcon size={16} /> Live view
          </Link>
        ) : null}
        {user ? (
          <span className="desk-user" title={`${user.displayName} · ${user.email}`}>
            <span className="avatar avatar-sm" aria-hidden="true">
              {initials(user.displayName || user.email)}
            </span>
            <span className="desk-user-name">{user.displayName}</span>
          </span>
        ) : null}
        <button type="button" className="icon-btn" onClick={() => signOut()} aria-label="Sign out" title="Sign out">
          <SignOutIcon />
        </button>
      </div>
    </header>
  );
}

/** Capacity as slots, the used ones filled: the agent sees at a glance how much more can come. */
function LoadMeter({ load, capacity, conversations }: { load: number; capacity: number; conversations: number }) {
  const slots = Math.min(capacity, 12);
  const filled = Math.round((Math.min(load, capacity) / Math.max(1, capacity)) * slots);
  return (
    <span className="load-meter" role="img" aria-label={`Load ${load} of ${capacity}, ${conversations} open conversations`}>
      <span className="load-label">Load</span>
      <span className="load-slots" aria-hidden="true">
        {Array.from({ length: slots }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: slots have no identity
          <span key={i} className={`load-slot${i < filled ? " load-slot-used" : ""}`} />
        ))}
      </span>
      <span className="load-value">
        {load}/{capacity}
      </span>
    </span>
  );
}
