import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { markAfterNotice } from "~/lib/fresh-mark";

interface LiveMessage {
  version: number;
  by: { id: string; name: string } | null;
  what: string;
  index?: number;
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
      // Someone just wrote: this reload reads the replica only once it has the change, the
      // primary until then (ADR 030; the cookie only picks the copy read, it grants nothing).
      const mark = markAfterNotice(document.cookie, message.index);
      if (mark) document.cookie = mark;
      revalidate.current();
    };
    return () => source.close();
  }, [url, selfId]);

  return { lastBy, connected };
}
