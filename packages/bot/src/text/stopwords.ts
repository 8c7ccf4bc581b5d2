/**
 * English words that carry no topic: function words, the apostrophe-less forms `normalizeText` makes of
 * contractions ("dont", "im", "whats"), chat shorthand ("u", "pls"), and the politeness and filler verbs
 * customers wrap questions in ("hi", "please", "wondering", "tell me", "i want to know"). Topic words that
 * standard lists drop but a contact center needs are kept: "open", "back", "help", "order", "first", "last".
 * Words for negation ("not", "no", "never") are kept too: "not working" is not "working".
 */
const WORDS = `
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either else ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is it its
itself just let lets may me might mine more most much must my myself neither nor now of off on once only
or other otherwise ought our ours ourselves out over own per quite rather really same shall she should so
some such than that the their theirs them themselves then there these they this those though through to
too under until up upon us very via was we were what when where whether which while who whom whose why
will with within without would yet you your yours yourself yourselves
aint arent cant couldnt didnt doesnt dont hadnt hasnt havent hed hes ill im isnt itd itll ive shes
shouldnt thats theres theyd theyll theyre theyve wasnt wed well weve whats whens wheres whos whys
wont wouldnt youd youll youre youve
u ur r ya yo pls plz thx ty ok okay oh ah um uh hmm
hi hello hey hiya dear please kindly thanks thank cheers
know tell wondering wonder question questions like want wanted wants need needs needed get got gets
getting would could possible possibly anyone someone somebody something anything thing things
`;

export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w !== ""));

export const isStopword = (word: string): boolean => STOPWORDS.has(word);
