import { useRouteLoaderData } from "@remix-run/react";

/** The viewer's time zone, as the root loader resolved it. */
export function useViewerZone(): string {
  return useRouteLoaderData<{ timeZone: string }>("root")?.timeZone ?? "UTC";
}
