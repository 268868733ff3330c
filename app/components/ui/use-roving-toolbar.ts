import { useEffect, useRef, type KeyboardEvent } from "react";

/**
 * A toolbar that is one Tab stop: arrow keys, Home and End move between its buttons (WAI-ARIA
 * toolbar pattern, roving tabindex). Works on the DOM so buttons need no extra props.
 */
export function useRovingToolbar<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const buttons = () => Array.from(ref.current?.querySelectorAll<HTMLButtonElement>("button:not([disabled])") ?? []);
  useEffect(() => {
    const all = buttons();
    if (all.length && !all.some((b) => b.tabIndex === 0)) all.forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));
    else all.forEach((b) => b.tabIndex !== 0 && (b.tabIndex = -1));
  });
  const onKeyDown = (event: KeyboardEvent<T>) => {
    const all = buttons();
    const current = all.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const target = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: all.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = all[(target + all.length) % all.length];
    all.forEach((b) => (b.tabIndex = b === next ? 0 : -1));
    next.focus();
  };
  return { ref, onKeyDown };
}
