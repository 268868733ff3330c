import { useNavigation } from "@remix-run/react";
import { lazy, memo, Suspense, useEffect, useId, useMemo, useRef, useState, type ComponentType, type ReactNode } from "react";
import { useTranslation } from "~/components/i18n";

/**
 * A part of the page that the server renders as usual but whose code the browser loads only when
 * the part is needed (ADR 053): pointed at, touched, focused, submitted, on screen (`onScreen`),
 * or about to change — until then the server's HTML stays as it is, readable, its links and
 * forms working as without JavaScript. It is React's selective hydration: the part is a Suspense
 * boundary whose `lazy` waits for one of those signs, and React hydrates it — keeping its DOM,
 * what was typed and the focus — once the code is here.
 *
 * Unlike `loadWhenRendered`, it may be rendered while the page hydrates, on one condition: an
 * update must not reach the waiting boundary outside a transition, or React drops the server's
 * HTML (its error 421). Remix's own updates (loader data, fetchers, navigations) are
 * transitions; such an update makes this wrapper render, which asks for the code at once (in
 * render: the transition only commits after the part has hydrated), so a live page waits for
 * the code rather than showing stale HTML. The part is memoised and takes data, not callbacks:
 * a parent's own state change (urgent) passes it the same props and does not reach it. Any other
 * update that would reach it must be wrapped in `startTransition` (the agenda's live hook).
 *
 * A click on a link or button, or a form sent, before the code is here is held and done again
 * once the part has hydrated. Offline, a part whose code cannot be fetched stays as the
 * server's HTML, what was clicked or sent is dropped (not sent without the page's scripts), it
 * says the code could not be loaded (when the person asked; not when an update did), and the
 * next sign tries again. After a client-side navigation (no server HTML) the code is fetched at
 * once and nothing shows until it arrives.
 *
 * In practice, Remix's route discovery updates the router's state right after the page
 * hydrates, so the parts' code comes a moment after the page rather than on first use: what is
 * spared is the code the page needs before it is interactive.
 */
export function hydrateWhenNeeded<P extends object>(load: () => Promise<ComponentType<P>>, options: { onScreen?: boolean } = {}): ComponentType<P> & { preload: () => Promise<void> } {
  const onServer = typeof document === "undefined";
  let loaded: ComponentType<P> | null = null;
  if (onServer) void load().then((component) => (loaded = component));
  // One fetch for all the parts of this kind; a failed one is forgotten, so the next sign retries.
  let fetching: Promise<ComponentType<P>> | null = null;
  // Once here, a part rendered afresh (a client-side navigation, a new item) takes it at once.
  let ready: ComponentType<P> | null = null;
  const code = () =>
    (fetching ??= load().then(
      (component) => (ready = component),
      (error: unknown) => ((fetching = null), Promise.reject(error)),
    ));

  function Part(props: P) {
    const { t } = useTranslation();
    const id = useId();
    const box = useRef<HTMLDivElement>(null);
    // Re-rendered by every router update (a transition): the part must be hydrated for it.
    useNavigation();
    const [failed, setFailed] = useState(false);
    const [part] = useState(() => {
      let show!: (component: { default: ComponentType<P> }) => void;
      const shown = new Promise<{ default: ComponentType<P> }>((resolve) => (show = resolve));
      const state = { done: false, hydrated: false, failed: false, renders: 0, own: false, held: null as null | (() => void) };
      const notice = (value: boolean) => {
        if (state.failed === value) return;
        state.failed = value;
        // The notice is this wrapper's own render: it does not ask for the code again.
        state.own = true;
        setFailed(value);
      };
      // Asked by the person (pointing, focus, a click): a failure is said. Asked by an update: the
      // update waits, and the next sign or update tries again.
      const want = (asked = false) => {
        if (state.done || onServer) return;
        code().then(
          (component) => {
            state.done = true;
            notice(false);
            show({ default: component });
          },
          () => {
            state.held = null;
            if (asked) notice(true);
          },
        );
      };
      // A thenable that answers at once when the code is already here: React then renders the
      // part without suspending (no empty place for a moment).
      const now = (component: ComponentType<P>) => ({ then: (done: (m: { default: ComponentType<P> }) => void) => done({ default: component }) }) as unknown as Promise<{ default: ComponentType<P> }>;
      const Lazy = lazy(() => {
        if (!ready) return shown;
        state.done = true;
        return now(ready);
      });
      return { state, want, notice, Lazy };
    });
    // Any render after the first but the notice's (new props, a router update) means the part is
    // about to change; no server HTML here (a client-side navigation) means it is wanted now.
    if (part.state.own) part.state.own = false;
    else if (part.state.renders++ > 0 || (!onServer && !document.getElementById(id))) part.want();

    useEffect(() => {
      const el = box.current;
      if (!el || part.state.hydrated) return;
      const want = () => {
        if (part.state.hydrated) return;
        part.notice(false);
        part.want(true);
      };
      // A click on a link or button, or a form sent, before the code is here waits for it and is
      // done again once the part has hydrated (without the scripts a link would load another
      // page, a form leave this one, and a button do nothing).
      const hold = (event: Event, again: () => void) => {
        if (part.state.hydrated) return;
        event.preventDefault();
        part.state.held = again;
        want();
      };
      // On the window, before React's listener on the document: for a target in a part still
      // waiting, React stops these events there (and hydrates the part first if it can).
      const inside = (event: Event) => event.target instanceof Node && el.contains(event.target);
      const onSign = (event: Event) => inside(event) && want();
      const onClick = (event: MouseEvent) => {
        const target = inside(event) ? (event.target as Element).closest("a[href], button") : null;
        if (target) hold(event, () => (target as HTMLElement).click());
      };
      const onSubmit = (event: SubmitEvent) => {
        if (!inside(event)) return;
        const form = event.target as HTMLFormElement;
        hold(event, () => form.requestSubmit(event.submitter));
      };
      const events = ["pointerover", "touchstart", "focusin"] as const;
      for (const name of events) window.addEventListener(name, onSign, { capture: true, passive: true });
      window.addEventListener("click", onClick, true);
      window.addEventListener("submit", onSubmit, true);
      const observer = options.onScreen && typeof IntersectionObserver !== "undefined" ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && part.want()) : undefined;
      for (const child of el.children) observer?.observe(child);
      return () => {
        for (const name of events) window.removeEventListener(name, onSign, true);
        window.removeEventListener("click", onClick, true);
        window.removeEventListener("submit", onSubmit, true);
        observer?.disconnect();
      };
    }, [part]);

    const Component = ((onServer && loaded) || part.Lazy) as ComponentType<P>;
    // The same element across the notice's renders: only new props reach the boundary.
    const boundary = useMemo(
      () => (
        <Suspense fallback={null}>
          <Hydrated state={part.state}>
            <Component {...props} />
          </Hydrated>
        </Suspense>
      ),
      [Component, props, part],
    );
    return (
      <div id={id} ref={box} className="hydrate-when-needed">
        {boundary}
        {failed ? (
          <p role="alert" className="alert alert--error small">
            {t("notLoaded")}
          </p>
        ) : null}
      </div>
    );
  }
  // For a route's `clientLoader`: after a client-side navigation the code comes with the data.
  const preload = () => code().then(() => undefined, () => undefined);
  return Object.assign(memo(Part) as unknown as ComponentType<P>, { preload });
}

/** Does again the click or submission held while the part's code was on its way, once hydrated. */
function Hydrated({ children, state }: { children: ReactNode; state: { hydrated: boolean; held: null | (() => void) } }) {
  useEffect(() => {
    state.hydrated = true;
    const held = state.held;
    state.held = null;
    // After this commit, when React listens to the hydrated form.
    if (held) setTimeout(held);
  }, [state]);
  return <>{children}</>;
}
