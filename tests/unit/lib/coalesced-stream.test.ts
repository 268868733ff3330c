import { describe, expect, it } from "vitest";
import { coalescedStream } from "~/lib/coalesced-stream";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("coalescedStream", () => {
  it("sends what is written in one turn as one chunk, and what comes later after it", async () => {
    const stream = coalescedStream();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    for (let i = 0; i < 65; i++) stream.write(Buffer.from(`<p>${i}</p>`));
    await turn();
    await turn();
    // A part that resolves later (a suspended boundary) is not held back until the end.
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(Array.from({ length: 65 }, (_, i) => `<p>${i}</p>`).join(""));
    stream.write(Buffer.from("<p>later</p>"));
    await turn();
    await turn();
    expect(chunks).toEqual([chunks[0], "<p>later</p>"]);
    stream.write(Buffer.from("<p>last"));
    stream.end(Buffer.from("</p>"));
    await ended;
    expect(chunks.slice(2)).toEqual(["<p>last</p>"]);
  });

  it("passes bytes through unchanged, multi-byte characters split across pieces included", async () => {
    const text = "注意喚起 지표 indicators ".repeat(500);
    const bytes = Buffer.from(text);
    const stream = coalescedStream();
    const out: Uint8Array[] = [];
    stream.on("data", (chunk: Uint8Array) => out.push(chunk));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    for (let at = 0; at < bytes.length; at += 2048) stream.write(bytes.subarray(at, at + 2048));
    stream.end();
    await ended;
    expect(Buffer.concat(out).toString()).toBe(text);
    expect(out).toHaveLength(1);
  });
});
