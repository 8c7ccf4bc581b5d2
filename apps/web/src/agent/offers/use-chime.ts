import { useEffect, useMemo, useRef, useState } from "react";
import { OfferChime } from "./offer-chime.js";

/** Whether the agent turned the offer sound off, kept per browser. */
const SOUND_KEY = "switchboard.agent.sound";

export interface Chime {
  /** The browser lets the page play sound (after the first click or key press). */
  armed: boolean;
  muted: boolean;
  setMuted: (muted: boolean) => void;
}

/** Plays the chime once for every offer that was not on screen before; armed on the first user gesture. */
export function useChime(offerIds: readonly string[]): Chime {
  const chime = useMemo(() => new OfferChime(), []);
  const [armed, setArmed] = useState(false);
  const [muted, setMutedState] = useState(() => globalThis.localStorage?.getItem(SOUND_KEY) === "off");
  const seen = useRef(new Set<string>());

  useEffect(() => {
    const arm = () => {
      chime.arm().then(
        () => setArmed(chime.armed),
        () => setArmed(false),
      );
    };
    const options = { capture: true } as const;
    document.addEventListener("pointerdown", arm, options);
    document.addEventListener("keydown", arm, options);
    return () => {
      document.removeEventListener("pointerdown", arm, options);
      document.removeEventListener("keydown", arm, options);
      chime.dispose();
      setArmed(false);
    };
  }, [chime]);

  const key = offerIds.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the ids
  useEffect(() => {
    const fresh = offerIds.some((id) => !seen.current.has(id));
    seen.current = new Set(offerIds);
    if (fresh && !muted) chime.play();
  }, [key, chime]);

  const setMuted = (value: boolean) => {
    setMutedState(value);
    globalThis.localStorage?.setItem(SOUND_KEY, value ? "off" : "on");
    if (!value) chime.play();
  };

  return { armed, muted, setMuted };
}
