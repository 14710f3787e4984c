import { describe, expect, it } from "vitest";
import { installCommand, parseLabels } from "./enroll-text.js";

describe("enroll form text", () => {
  it.each([
    ["", {}],
    ["env=prod", { env: "prod" }],
    [" env = prod , team=obs ", { env: "prod", team: "obs" }],
    ["a=1\nb=", { a: "1", b: "" }],
  ])("labels %j -> %j", (text, labels) => expect(parseLabels(text)).toEqual(labels));

  it.each(["novalue", "=x", "bad key=1"])("rejects %j with a sentence", (text) => {
    expect(() => parseLabels(text)).toThrow(/is not key=value/);
  });

  it("builds the install one-liner for this relay", () => {
    expect(installCommand("https://relay.example:8443", "lme_abc")).toBe(
      "curl -fsSL https://relay.example:8443/install.sh | sudo sh -s -- --token lme_abc",
    );
  });
});
