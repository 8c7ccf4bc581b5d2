const RELOADED_KEY = "switchboard.chunk-reload";

/**
 * Loads a lazily split part of the app. A tab opened before a new version was deployed asks for chunk files
 * that no longer exist: it reloads once to get the new index.html; a second failure is a real error.
 */
export function loadChunk<T>(
  load: () => Promise<T>,
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> = globalThis.sessionStorage,
): Promise<T> {
  return load().then(
    (module) => {
      storage.removeItem(RELOADED_KEY);
      return module;
    },
    (error: unknown) => {
      if (storage.getItem(RELOADED_KEY) !== null) throw error;
      storage.setItem(RELOADED_KEY, "1");
      globalThis.location.reload();
      return new Promise<T>(() => {});
    },
  );
}
