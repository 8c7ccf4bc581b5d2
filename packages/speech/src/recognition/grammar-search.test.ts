import { DomainError } from "@switchboard/core";
import { describe, expect, it } from "vitest";
import { ipaToArpabet } from "./espeak-pronouncer.js";
import { compileGrammar, dictionaryLines, PHONE_LOOP_DICTIONARY, phraseWords } from "./grammar-search.js";
import { parseHypothesisSegments } from "./hypothesis-segments.js";
import { dictionaryLookup, type Pronouncer } from "./pronouncing-dictionary.js";

const cmu = `\n${[
  "sales S EY L Z",
  "support S AH P AO R T",
  "technical T EH K N IH K AH L",
  "alice AE L AH S",
  "alice(2) AE L IH S",
  "alicea AH L IY SH AH", // another word that starts like one
  "johnson JH AA N S AH N",
  "o'brien OW B R AY AH N",
  "broken X Y", // not phones of the model: ignored
].join("\n")}\n`;
const dictionary: Pronouncer = { pronounce: async (word) => dictionaryLookup(cmu, word) };

describe("phraseWords", () => {
  it("keeps lower-case letters and inner apostrophes, and nothing that could break a grammar file", () => {
    expect(phraseWords("Technical  Support!")).toEqual(["technical", "support"]);
    expect(phraseWords("José O’Brien-Smith")).toEqual(["jose", "o'brien", "smith"]);
    expect(phraseWords("sales\nFSG_END\nTRANSITION 0 1 x")).toEqual(["sales", "fsg", "end", "transition", "zero", "one", "x"]);
    expect(phraseWords("'quoted' _ph_aa")).toEqual(["quoted", "ph", "aa"]);
    expect(phraseWords("Option 2, or 10")).toEqual(["option", "two", "or", "one", "zero"]);
  });
});

describe("compileGrammar", () => {
  it("makes one path per phrase and a dictionary of their words with alternates", async () => {
    const search = await compileGrammar(
      {
        choices: [
          { id: "1", phrases: ["sales"] },
          { id: "2", phrases: ["support", "technical support"] },
          { id: "alice", phrases: ["Alice Johnson"] },
        ],
      },
      dictionary,
    );
    expect(search.choicesFsg).toBe(
      [
        "FSG_BEGIN choices",
        "NUM_STATES 4",
        "START_STATE 0",
        "FINAL_STATE 1",
        "TRANSITION 0 1 1.0 sales",
        "TRANSITION 0 1 1.0 support",
        "TRANSITION 0 2 1.0 technical",
        "TRANSITION 2 1 1.0 support",
        "TRANSITION 0 3 1.0 alice",
        "TRANSITION 3 1 1.0 johnson",
        "FSG_END",
        "",
      ].join("\n"),
    );
    expect(dictionaryLines(search.pronunciations)).toEqual([
      "sales S EY L Z",
      "support S AH P AO R T",
      "technical T EH K N IH K AH L",
      "alice AE L AH S",
      "alice(2) AE L IH S",
      "johnson JH AA N S AH N",
    ]);
    expect(PHONE_LOOP_DICTIONARY).toContain("ph_zh ZH");
    expect(search.phoneLoopFsg).toContain("TRANSITION 1 1 1.0 ph_aa\n");
    expect(search.phrases.get("technical support")).toEqual({ choiceId: "2", text: "technical support" });
    expect(search.phrases.get("alice johnson")).toEqual({ choiceId: "alice", text: "Alice Johnson" });
    expect(search.unknownWords).toEqual([]);
  });

  it("leaves out phrases with words nobody can pronounce, and says which", async () => {
    const search = await compileGrammar(
      {
        choices: [
          { id: "a", phrases: ["sales", "zorblax sales"] },
          { id: "b", phrases: ["broken"] },
        ],
      },
      dictionary,
    );
    expect([...search.phrases.keys()]).toEqual(["sales"]);
    expect(search.unknownWords).toEqual(["zorblax", "broken"]);
    expect([...search.pronunciations.keys()]).toEqual(["sales"]);
  });

  it("takes whatever pronunciation the pronouncer gives", async () => {
    const rules: Pronouncer = {
      pronounce: async (word) => (word === "okonkwo" ? ["OW K AA NG K W OW"] : dictionary.pronounce(word)),
    };
    const search = await compileGrammar({ choices: [{ id: "x", phrases: ["okonkwo"] }] }, rules);
    expect(search.pronunciations.get("okonkwo")).toEqual(["OW K AA NG K W OW"]);
  });

  it.each([
    [{ choices: [] }, /at least one choice/],
    [{ choices: [{ id: "a", phrases: [] }] }, /at least one phrase/],
    [
      {
        choices: [
          { id: "a", phrases: ["Sales"] },
          { id: "b", phrases: ["sales!"] },
        ],
      },
      /names both "a" and "b"/,
    ],
    [{ choices: [{ id: "a", phrases: ["zorblax"] }] }, /no pronunciation is known for zorblax/],
  ])("rejects a grammar it cannot use (%#)", async (grammar, message) => {
    const error = await compileGrammar(grammar, dictionary).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "speech.invalid_grammar", message: expect.stringMatching(message) });
  });
});

describe("parseHypothesisSegments", () => {
  it("reads the words, the acoustic score and the frames of a path", () => {
    const line = "utterance S 0 T -3607 A -2933 L -674 0 -522 -337 <sil> 25 -2192 0 sales 75 -219 -337 <sil> 89";
    expect(parseHypothesisSegments(line)).toEqual({
      utterance: "utterance",
      totalScore: -3607,
      acousticScore: -2933,
      words: ["sales"],
      frames: 89,
      wordFrames: 50,
    });
  });

  it("drops fillers and alternate-pronunciation marks", () => {
    const line = "u S 0 T -1 A -1 L 0 0 -1 0 <sil> 10 -1 0 alice(2) 30 -1 0 [NOISE] 35 -1 0 johnson 60 0 0 (NULL) 61";
    expect(parseHypothesisSegments(line)?.words).toEqual(["alice", "johnson"]);
  });

  it("answers null for a line that is not a path", () => {
    expect(parseHypothesisSegments("")).toBeNull();
    expect(parseHypothesisSegments("sales (utt -1234)")).toBeNull();
  });
});

describe("ipaToArpabet", () => {
  it.each([
    ["sˈeɪlz", "S EY L Z"],
    ["dʒˈɑːnsən", "JH AA N S AH N"],
    ["vˈɔɪsmeɪl", "V OY S M EY L"],
    ["nˈuːjɛn", "N UW Y EH N"],
    ["bˈɔːʔn̩", "B AO T AH N"],
    ["ɡˈɑːɹdən", "G AA R D AH N"],
  ])("%s is %s", (ipa, arpabet) => {
    expect(ipaToArpabet(ipa)).toBe(arpabet);
  });

  it("answers null when there is no phone", () => {
    expect(ipaToArpabet("ˈ ː\n")).toBeNull();
  });
});
