import { lazy, Suspense, useState, type ComponentType, type ReactNode } from "react";
import { useTranslation } from "~/components/i18n";

/**
 * A component whose code the browser loads the first time it renders there, not with the page
 * (ADR 043): forms that open on a click, content of `<noscript>` (never rendered by the
 * browser's React). The server renders it at once, as if imported: in the server build the
 * `import()` is the same file, resolved before the first request.
 *
 * Only for what the browser does not render while the page hydrates. Hydrated, the server's
 * HTML would stay until the code arrived (the Suspense boundary here), but a live page's
 * update meanwhile makes React 18 drop it and render afresh (its error 421), which is why the
 * agenda's lock dialog is imported as usual. Rendered later, `fallback` shows meanwhile.
 *
 * When the code cannot be fetched (offline), the place says so instead of throwing to the
 * route's error page (which would take the page, and the minutes editor, away), and the next
 * time it is rendered afresh (the form opened again) the fetch is tried again: React's `lazy`
 * keeps a failure for good, so a failed one is replaced.
 */
export function loadWhenRendered<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): ComponentType<P> {
  const onServer = typeof document === "undefined";
  let loaded: ComponentType<P> | null = null;
  if (onServer) void load().then((component) => (loaded = component));
  const attempt = (): ComponentType<P> =>
    lazy<ComponentType<P>>(() =>
      load().then(
        (component) => ({ default: component }),
        () => {
          next = attempt();
          return { default: NotLoaded };
        },
      ),
    ) as unknown as ComponentType<P>;
  let next = attempt();
  return function LoadWhenRendered(props: P) {
    // Each time it is rendered afresh it takes the current attempt (a new one after a failure).
    const [Lazy] = useState(() => next);
    // The same Suspense boundary on both sides: the browser hydrates the server's markup of it.
    const Component = (onServer && loaded) || Lazy;
    return (
      <Suspense fallback={fallback}>
        <Component {...props} />
      </Suspense>
    );
  };
}

/** Where code that could not be fetched (offline) would have been: says so. */
export function NotLoaded() {
  const { t } = useTranslation();
  return (
    <p role="alert" className="alert alert--error small">
      {t("notLoaded")}
    </p>
  );
}
