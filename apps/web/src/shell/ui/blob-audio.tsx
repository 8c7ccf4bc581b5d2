import { useEffect, useState } from "react";
import { useResource } from "../data/use-resource.js";
import { ErrorNotice, Loading } from "./feedback.js";

/**
 * Plays audio the API serves only with the Authorization header (recordings, voicemail), which an
 * `<audio src>` cannot send: `load` fetches it with the session's token (wrap it in useCallback), and it
 * plays from a Blob URL, released when the player goes away. A Download link saves the same Blob.
 */
export function BlobAudio({
  load,
  label,
  fileName,
  autoPlay,
}: {
  load: (signal: AbortSignal) => Promise<Blob>;
  label: string;
  fileName: string;
  autoPlay?: boolean;
}) {
  const { data: blob, error, reload } = useResource(load);
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!blob) return;
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(undefined);
    };
  }, [blob]);

  return (
    <div className="recording-player">
      <span className="recording-label">{label}</span>
      {error ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : url ? (
        <div className="recording-controls">
          {/* biome-ignore lint/a11y/useMediaCaption: a caller's voice; a transcript, when there is one, is shown beside it */}
          <audio controls preload="metadata" src={url} aria-label={label} autoPlay={autoPlay} />
          <a className="btn btn-sm" href={url} download={fileName}>
            Download
          </a>
        </div>
      ) : (
        <Loading label="Loading the audio…" />
      )}
    </div>
  );
}
