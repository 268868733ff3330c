import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bodyProblem, cspNonce, trustProxySetting } from "~/lib/http-guards.server";
import { safeRedirect } from "~/lib/session.server";
import { cleanInput } from "~/lib/validation";

describe("TRUST_PROXY", () => {
  it("is read as Express expects: numbers are hop counts, lists are addresses", () => {
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting(" 2 ")).toBe(2);
    expect(trustProxySetting("true")).toBe(true);
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
    expect(trustProxySetting("")).toBeUndefined();
    expect(trustProxySetting(undefined)).toBeUndefined();
  });
});

describe("CSP nonces", () => {
  it("are 16 random bytes each, never repeated, across many refills of the pool", () => {
    const nonces = Array.from({ length: 2_000 }, () => cspNonce());
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});

describe("request bodies", () => {
  it("accept forms only: other types get 415, multipart without a boundary 400", () => {
    expect(bodyProblem("POST", "application/x-www-form-urlencoded;charset=UTF-8", true)).toBeNull();
    expect(bodyProblem("POST", "multipart/form-data; boundary=----x", true)).toBeNull();
    expect(bodyProblem("POST", "application/json", true)).toBe(415);
    expect(bodyProblem("POST", "text/plain", true)).toBe(415);
    expect(bodyProblem("POST", undefined, true)).toBe(415);
    expect(bodyProblem("POST", "multipart/form-data", true)).toBe(400);
    expect(bodyProblem("GET", "application/json", true)).toBeNull();
    expect(bodyProblem("POST", undefined, false)).toBeNull();
  });
});

describe("redirectTo", () => {
  const offSite = [
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/.//evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " //evil.example",
    "\t//evil.example",
    "",
  ];
  it.each(offSite)("refuses %j", (to) => {
    const result = safeRedirect(to);
    expect(result).toBe("/");
  });

  it("keeps same-site paths, normalised to a valid header value", () => {
    expect(safeRedirect("/meetings/abc?tab=minutes#x")).toBe("/meetings/abc?tab=minutes#x");
    expect(safeRedirect("/search?q=北朝鮮")).toBe("/search?q=%E5%8C%97%E6%9C%9D%E9%AE%AE");
    expect(safeRedirect("/a/../settings")).toBe("/settings");
    expect(() => new Headers({ Location: safeRedirect("/x\ny") })).not.toThrow();
  });

  it("is served by react-router and @remix-run/router at their fixed versions (GHSA-jjmj-jmhj-qwj2)", () => {
    const version = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
    const atLeast = (v: string, min: string) => v.split(".").map(Number).reduce((acc, n, i) => (acc !== 0 ? acc : n - Number(min.split(".")[i])), 0) >= 0;
    expect(atLeast(version("react-router"), "6.30.6")).toBe(true);
    expect(atLeast(version("@remix-run/router"), "1.23.4")).toBe(true);
    expect(atLeast(version("nodemailer"), "9.0.1")).toBe(true);
  });
});

describe("control characters in input", () => {
  it("are refused with a field error; tab is kept, CR LF becomes LF where lines are allowed", () => {
    expect(() => cleanInput({ title: "a\u0000b" })).toThrow();
    expect(() => cleanInput({ title: "line\nbreak" })).toThrow();
    expect(() => cleanInput({ name: "x\u001b[31m" })).toThrow();
    expect(() => cleanInput({ note: "bell\u0007" })).toThrow();
    expect(() => cleanInput({ note: "c1\u0085" })).toThrow();
    expect(cleanInput({ note: "one\r\ntwo\tthree" })).toEqual({ note: "one\ntwo\tthree" });
    expect(cleanInput({ title: "tab\tok" })).toEqual({ title: "tab\tok" });
  });
});
