import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WriteGate } from "~/lib/db-embedded.server";

/** Whether a promise has settled once the microtasks queued so far have run (no time passes: fake timers). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return done;
}

describe("the in-process write gate of the embedded database", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets writers through one at a time, in order", async () => {
    const gate = new WriteGate();
    const first = await gate.acquire();
    const second = gate.acquire();
    expect(await settled(second)).toBe(false);
    first();
    expect(await settled(second)).toBe(true);
  });

  // Failed before the fix: a waiter handed the gate got a release that did nothing, so the gate
  // stayed held for ever and every later writer waited out its patience (5 s) and then met
  // SQLite's lock without it — outcome documents' hooks timed out in outcomes.test.ts.
  it("is free again after a writer that waited for it is done", async () => {
    const gate = new WriteGate();
    const first = await gate.acquire();
    const second = gate.acquire();
    first();
    (await second)();
    const third = gate.acquire();
    expect(await settled(third)).toBe(true);
    (await third)();
  });

  it("hands a writer that waited too long no hold on the gate (its release changes nothing)", async () => {
    const gate = new WriteGate();
    const first = await gate.acquire();
    const impatient = gate.acquire();
    await vi.advanceTimersByTimeAsync(5_001);
    const release = await impatient;
    release();
    // The first writer still holds it: a newcomer waits.
    const next = gate.acquire();
    expect(await settled(next)).toBe(false);
    first();
    expect(await settled(next)).toBe(true);
  });
});
