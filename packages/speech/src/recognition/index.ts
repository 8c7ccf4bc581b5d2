export * from "./decoder-audio.js";
export * from "./espeak-pronouncer.js";
export * from "./grammar-search.js";
export * from "./hypothesis-segments.js";
export * from "./pocketsphinx-recognizer.js";
export * from "./pronouncing-dictionary.js";
export * from "./recognition-accuracy.js";
export * from "./recognition-corpus.js";
