import { describe, expect, it } from "vitest";
import { editDistance } from "./edit-distance.js";
import { normalizeText, tokenize } from "./normalize.js";
import { stem } from "./stem.js";
import { isStopword, STOPWORDS } from "./stopwords.js";

describe("normalizeText and tokenize", () => {
  it("lowercases, strips accents and splits on everything that is not a letter or digit", () => {
    expect(normalizeText("  Crème BRÛLÉE, s'il vous plaît!  ")).toBe("creme brulee sil vous plait");
    expect(tokenize("Où est ma commande #10234?")).toEqual(["ou", "est", "ma", "commande", "10234"]);
    expect(tokenize("E-bike tune-up / 2x")).toEqual(["e", "bike", "tune", "up", "2x"]);
  });

  it("drops apostrophes inside words, straight or curly", () => {
    expect(tokenize("I don't know what's wrong")).toEqual(["i", "dont", "know", "whats", "wrong"]);
    expect(tokenize("It’s the customers' bikes")).toEqual(["its", "the", "customers", "bikes"]);
  });

  it("gives nothing for text without letters or digits", () => {
    expect(tokenize("?!  ...")).toEqual([]);
    expect(normalizeText("")).toBe("");
  });
});

describe("stopwords", () => {
  it("drops function words and filler but keeps topic and negation words", () => {
    for (const w of ["the", "what", "is", "dont", "please", "hi", "want", "know"]) expect(isStopword(w)).toBe(true);
    for (const w of ["order", "open", "back", "help", "not", "no", "refund", "id"]) expect(isStopword(w)).toBe(false);
    expect(STOPWORDS.size).toBeGreaterThan(200);
  });
});

describe("stem", () => {
  it("conflates the forms of a word", () => {
    for (const group of [
      ["refund", "refunds", "refunded", "refunding"],
      ["deliver", "delivery", "deliveries", "delivered", "delivering"],
      ["repair", "repairs", "repaired", "repairing"],
      ["open", "opens", "opened", "opening"],
      ["ship", "ships", "shipped", "shipping"],
      ["warranty", "warranties"],
      ["battery", "batteries"],
      ["cancel", "cancels", "cancelled", "canceled", "cancelling"],
      ["bike", "bikes", "biking"],
    ]) {
      const stems = new Set(group.map(stem));
      expect([...stems], group.join(", ")).toHaveLength(1);
    }
  });

  it("follows Porter's published examples", () => {
    const examples: Record<string, string> = {
      caresses: "caress",
      ponies: "poni",
      ties: "ti",
      cats: "cat",
      feed: "feed",
      agreed: "agre",
      plastered: "plaster",
      motoring: "motor",
      sing: "sing",
      conflated: "conflat",
      troubled: "troubl",
      hopping: "hop",
      falling: "fall",
      filing: "file",
      relational: "relat",
      conditional: "condit",
      digitizer: "digit",
      generalization: "gener",
      hopefulness: "hope",
      triplicate: "triplic",
      formative: "form",
      electrical: "electr",
      revival: "reviv",
      adjustment: "adjust",
      adoption: "adopt",
      controlling: "control",
      roll: "roll",
    };
    for (const [word, expected] of Object.entries(examples)) expect(stem(word), word).toBe(expected);
  });

  it("differs from Porter only in dropping a final i that came from y", () => {
    expect(stem("delivery")).toBe("deliv");
    expect(stem("happy")).toBe("happ");
    // Short words and words with a vowel before the i keep it.
    expect(stem("taxi")).toBe("taxi");
    expect(stem("pony")).toBe("poni");
  });

  it("leaves short words, digits and non-ascii words alone", () => {
    expect(stem("is")).toBe("is");
    expect(stem("10234")).toBe("10234");
    expect(stem("straße")).toBe("straße");
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(editDistance("delivry", "delivery")).toBe(1);
    expect(editDistance("recieve", "receive")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("ca", "abc")).toBe(3); // optimal string alignment: no edit of a swapped pair
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("answers max + 1 once the distance is known to exceed the bound", () => {
    expect(editDistance("kitten", "sitting", 2)).toBe(3);
    expect(editDistance("kitten", "sitting", 3)).toBe(3);
    expect(editDistance("a", "abcdef", 1)).toBe(2);
    expect(editDistance("warranty", "battery", 2)).toBe(3);
    expect(editDistance("shipping", "shopping", 1)).toBe(1);
  });

  it("agrees with the unbounded distance whenever it is within the bound", () => {
    const words = ["refund", "refnud", "rfund", "refunds", "fund", "return", "retrun", "delivery", "delivry", "dleivery"];
    for (const a of words) {
      for (const b of words) {
        const full = editDistance(a, b);
        for (const max of [0, 1, 2, 3]) expect(editDistance(a, b, max)).toBe(full <= max ? full : max + 1);
      }
    }
  });
});
