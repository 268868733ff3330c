import { describe, expect, it } from "vitest";
import { mayRead, type ReaderFacts } from "~/lib/markings";

const US = "us";
const JP = "jp";
const reader = (over: Partial<ReaderFacts> = {}): ReaderFacts => ({
  userId: "me",
  role: "delegate",
  delegationId: US,
  invited: true,
  listPublished: false,
  onList: false,
  ...over,
});

// [who, marking, record extras, expected]
const table: Array<[string, Partial<ReaderFacts>, string, { delegationIds?: string[]; createdBy?: string }, boolean]> = [
  ["a member reads CLEAR", {}, "TLP:CLEAR", {}, true],
  ["a member not invited reads GREEN", { invited: false }, "TLP:GREEN", {}, true],
  ["an invited member reads AMBER", {}, "TLP:AMBER", {}, true],
  ["a member not invited does not read AMBER", { invited: false }, "TLP:AMBER", {}, false],
  ["the named delegation reads AMBER+STRICT", {}, "TLP:AMBER+STRICT", { delegationIds: [US] }, true],
  ["another delegation does not read AMBER+STRICT", { delegationId: JP }, "TLP:AMBER+STRICT", { delegationIds: [US] }, false],
  ["a head of another delegation does not read AMBER+STRICT", { delegationId: JP, role: "head" }, "TLP:AMBER+STRICT", { delegationIds: [US] }, false],
  ["the uploader reads their own AMBER+STRICT paper", { delegationId: JP }, "TLP:AMBER+STRICT", { delegationIds: [US], createdBy: "me" }, true],
  ["before the list is published a head reads RED", { role: "head" }, "TLP:RED", {}, true],
  ["before the list is published a delegate does not read RED", {}, "TLP:RED", {}, false],
  ["before the list is published the uploader reads RED", {}, "TLP:RED", { createdBy: "me" }, true],
  ["once published, a person on the list reads RED", { listPublished: true, onList: true }, "TLP:RED", {}, true],
  ["once published, a head not on the list does not read RED", { role: "head", listPublished: true }, "TLP:RED", {}, false],
  ["the secretariat reads RED", { role: "secretariat", delegationId: null, listPublished: true }, "TLP:RED", {}, true],
  ["the secretariat reads AMBER+STRICT", { role: "secretariat", delegationId: null }, "TLP:AMBER+STRICT", { delegationIds: [US] }, true],
  ["an unknown marking is read by nobody but the secretariat", {}, "TLP:BLACK", {}, false],
];

describe("mayRead", () => {
  for (const [name, facts, marking, extra, expected] of table) {
    it(name, () => {
      expect(mayRead(reader(facts), { marking, ...extra })).toBe(expected);
    });
  }
});
