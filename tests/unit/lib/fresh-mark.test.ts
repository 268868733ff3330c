import { describe, expect, it } from "vitest";
import { markAfterNotice } from "~/lib/fresh-mark";

// What a live page sets before it reloads on someone else's change (ADR 030 addendum).
describe("the read-your-writes mark after a live notice", () => {
  it("asks for the replica once it has the notice's replication index", () => {
    expect(markAfterNotice("session=abc", 42)).toBe("concord-fresh=w42; Max-Age=900; Path=/; SameSite=Lax");
  });

  it("keeps a higher index the reader's own write left, and raises a lower one", () => {
    expect(markAfterNotice("session=abc; concord-fresh=w50", 42)).toBeNull();
    expect(markAfterNotice("concord-fresh=w40; session=abc", 42)).toBe("concord-fresh=w42; Max-Age=900; Path=/; SameSite=Lax");
  });

  it("leaves a 'primary for a while' mark alone", () => {
    expect(markAfterNotice("concord-fresh=p", 42)).toBeNull();
    expect(markAfterNotice("concord-fresh=1", 42)).toBeNull();
  });

  it("reads the primary for a while when the notice has no index", () => {
    expect(markAfterNotice("", undefined)).toBe("concord-fresh=1; Max-Age=10; Path=/; SameSite=Lax");
    expect(markAfterNotice("concord-fresh=w40", undefined)).toBe("concord-fresh=1; Max-Age=10; Path=/; SameSite=Lax");
  });
});
