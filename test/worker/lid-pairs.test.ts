import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/lid/detect";
import { EVIDENCE } from "../../src/lid/lexicon";

describe("Hindi / Nepali markers", () => {
  const nepali = EVIDENCE.Devanagari.ne?.markers as RegExp;

  it.each([
    ["%S दिन पहले", "पहले ends in ले like Nepali's ergative"],
    ["फ्रेम दिखाएँ", "Hindi's polite imperative writes ँ"],
    ["यहाँ क्लिक करें", "Hindi यहाँ"],
  ])("does not read Hindi %s as Nepali-marked (%s)", (text) => {
    expect(nepali.test(text)).toBe(false);
  });

  it.each(["फाइलहरू", "खोज्नुहोस्", "यो हुन्छ", "सर्भरबाट", "तपाईंसँग", "गरेको"])("reads %s as Nepali-marked", (text) => {
    expect(nepali.test(text)).toBe(true);
  });
});

describe("Hindi / Nepali words weighed by their frequencies in LibreOffice's two translations", () => {
  it.each([
    ["5 दिन पहले", "hi"],
    ["अंतिम परिवर्तन", "hi"],
    ["नया दस्तावेज़", "hi"],
    ["फ़ाइल खोली नहीं जा सकी", "hi"],
    ["दुई दिन अघि", "ne"],
    ["नयाँ कागजात", "ne"],
    ["पङ्क्तिको उचाइ", "ne"],
    ["फाइल खोल्न सकिएन", "ne"],
  ])("reads %s as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});

describe("Russian / Ukrainian adjective endings", () => {
  const russian = EVIDENCE.Cyrillic.ru?.markers as RegExp;
  const ukrainian = EVIDENCE.Cyrillic.uk?.markers as RegExp;

  it.each(["английский", "боснийский"])("reads Russian %s (-ский) as Russian-marked, not Ukrainian-marked", (word) => {
    expect(russian.test(word)).toBe(true);
    expect(ukrainian.test(word)).toBe(false);
  });

  it.each(["польський", "людський"])("reads Ukrainian %s (-ський) as Ukrainian-marked, not Russian-marked", (word) => {
    expect(ukrainian.test(word)).toBe(true);
    expect(russian.test(word)).toBe(false);
  });
});
