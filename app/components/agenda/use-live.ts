import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

interface LiveMessage {
  version: number;
  by: { id: string; name: string } | null;
  what: string;
}

/**
 * Listens to the page's server-sent events and reloads its data when someone else changes
 * it. Returns who made the last change, for a polite announcement.
 */
export function useLive(url: string, selfId: string, version: number) {
  const revalidator = useRevalidator();
  const [lastBy, setLastBy] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const seen = useRef(version);
  seen.current = Math.max(seen.current, version);
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;

  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (event) => {
      const message = JSON.parse(event.data) as LiveMessage;
      if (message.version <= seen.current && message.by?.id === selfId) return;
      if (message.by && message.by.id !== selfId) setLastBy(message.by.name);
      // Someone just wrote: this reload reads from the primary, not a replica that may not
      // have the change yet (ADR 030; the cookie only picks the copy read, it grants nothing).
      document.cookie = "concord-fresh=1; Max-Age=10; Path=/; SameSite=Lax";
      revalidate.current();
    };
    return () => source.close();
  }, [url, selfId]);

  return { lastBy, connected };
}
