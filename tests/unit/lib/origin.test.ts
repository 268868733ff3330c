import { describe, expect, it } from "vitest";
import { hasAllowedOrigin, isSameOriginRequest } from "~/lib/origin.server";

const base = { host: "concord.example", protocol: "https", hasCookie: true, allowed: [] as string[], origin: undefined as string | undefined, referer: undefined as string | undefined };

describe("origin check", () => {
  it("lets reads through from anywhere", () => {
    expect(isSameOriginRequest({ ...base, method: "GET", origin: "https://evil.example" })).toBe(true);
  });
  it("accepts a post from our own pages", () => {
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "https://concord.example" })).toBe(true);
    expect(isSameOriginRequest({ ...base, method: "POST", referer: "https://concord.example/bodies/x" })).toBe(true);
  });
  it("refuses a forged cross-site post", () => {
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "https://evil.example" })).toBe(false);
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "http://concord.example" })).toBe(false);
    expect(isSameOriginRequest({ ...base, method: "POST", origin: "null" })).toBe(false);
  });
  it("refuses a cookie-bearing post that hides where it came from", () => {
    expect(isSameOriginRequest({ ...base, method: "POST" })).toBe(false);
    expect(isSameOriginRequest({ ...base, method: "POST", hasCookie: false })).toBe(true);
  });
  it("accepts origins named in ALLOWED_ORIGINS, for WebSockets too", () => {
    expect(hasAllowedOrigin({ ...base, origin: "https://intranet.example", allowed: ["https://intranet.example"] })).toBe(true);
    expect(hasAllowedOrigin({ ...base, origin: "https://other.example", allowed: ["https://intranet.example"] })).toBe(false);
  });
});
