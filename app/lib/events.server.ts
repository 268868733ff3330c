import { EventEmitter } from "node:events";

/**
 * In-process publish/subscribe for live pages (one Node process serves everyone; see ADR
 * 001). A change is published after its transaction commits; every open page of the same
 * record hears about it and reloads its data.
 */
const g = globalThis as typeof globalThis & { __concordEvents?: EventEmitter };
const bus = (g.__concordEvents ??= new EventEmitter().setMaxListeners(0));

export interface LiveEvent {
  version: number;
  by: { id: string; name: string } | null;
  what: string;
}

export function publish(channel: string, event: LiveEvent): void {
  bus.emit(channel, event);
}

export function subscribe(channel: string, listener: (event: LiveEvent) => void): () => void {
  bus.on(channel, listener);
  return () => bus.off(channel, listener);
}

export const agendaChannel = (meetingId: string) => `agenda:${meetingId}`;
