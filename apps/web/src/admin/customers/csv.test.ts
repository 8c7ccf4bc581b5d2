import { describe, expect, it } from "vitest";
import { parseCsv, previewCsv } from "./csv.js";

describe("parseCsv", () => {
  it("reads quoted fields with commas, quotes and line breaks, CRLF and a BOM", () => {
    const text = '\uFEFFname,note\r\n"Lovelace, Ada","said ""hi""\nthen left"\r\nGrace,\n';
    expect(parseCsv(text)).toEqual([
      ["name", "note"],
      ["Lovelace, Ada", 'said "hi"\nthen left'],
      ["Grace", ""],
    ]);
  });

  it("skips blank lines and stops after the records asked for", () => {
    expect(parseCsv("a\n\n\nb\nc", 2)).toEqual([["a"], ["b"]]);
    expect(parseCsv("")).toEqual([]);
  });
});

describe("previewCsv", () => {
  it("counts the rows and names the columns that become attributes", () => {
    const preview = previewCsv(
      "Name,E-mail,Phone,externalId,tier\nAda,ada@example.com,,C-1,gold\nGrace,grace@example.com,,C-2,silver\n",
    );
    expect(preview).toEqual({
      columns: ["Name", "E-mail", "Phone", "externalId", "tier"],
      sample: [
        ["Ada", "ada@example.com", "", "C-1", "gold"],
        ["Grace", "grace@example.com", "", "C-2", "silver"],
      ],
      rowCount: 2,
      attributeColumns: ["tier"],
      hasName: true,
    });
    expect(previewCsv("email\nx@example.com")?.hasName).toBe(false);
    expect(previewCsv("  \n")).toBeUndefined();
  });
});
