import { lazy, Suspense, type ComponentType, type ReactNode } from "react";

/**
 * A component whose code the browser loads the first time it renders there, not with the page
 * (ADR 043): forms that open on a click, content of `<noscript>` (never rendered by the
 * browser's React). The server renders it at once, as if imported: in the server build the
 * `import()` is the same file, resolved before the first request.
 *
 * Rendered while the page hydrates, the server's HTML stays as it is until the code arrives
 * (the Suspense boundary here); rendered later, `fallback` shows meanwhile.
 */
export function loadWhenRendered<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): ComponentType<P> {
  const onServer = typeof document === "undefined";
  let loaded: ComponentType<P> | null = null;
  if (onServer) void load().then((component) => (loaded = component));
  const Lazy = lazy(() => load().then((component) => ({ default: component }))) as unknown as ComponentType<P>;
  return function LoadWhenRendered(props: P) {
    const Component = onServer ? loaded : null;
    if (Component) return <Component {...props} />;
    return (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
