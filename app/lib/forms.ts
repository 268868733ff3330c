import type { Message } from "./errors";

/** The field errors of an action's answer, whatever shape the action returned. */
export function fieldErrorsFrom(data: unknown): Record<string, Message[]> | null {
  if (data && typeof data === "object" && "fieldErrors" in data) {
    return (data as { fieldErrors?: Record<string, Message[]> }).fieldErrors ?? null;
  }
  return null;
}
