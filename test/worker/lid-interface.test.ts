import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/lid/detect";
import { FREQUENT_WORDS } from "../../src/lid/frequent-words";
import { stripNonLanguage } from "../../src/lid/text";
import { UI_PAIRS, UI_WORDS } from "../../src/lid/ui-words";

describe("short interface strings with product names and English technical words", () => {
  it.each([
    ["Rimuovi da Chrome", "it"],
    ["Personalizza la barra", "it"],
    ["Rimuovi il plugin", "it"],
    ["Zobrazit konfiguraci serveru", "cs"],
    ["Izolovat cookies třetích stran", "cs"],
    ["Uruchom ponownie serwer", "pl"],
    ["Configurar el proxy HTTP", "es"],
    ["Toggle sidebar", "en"],
    ["Reload page", "en"],
  ])("reads %s as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});

describe("Spanish / Portuguese word odds from interface text (ui-words.ts)", () => {
  it.each([
    ["Mostrar nombres de columnas", "es"],
    ["Mostrar nomes de colunas", "pt"],
    ["Ocultar barra de herramientas", "es"],
    ["Ocultar barra de ferramentas", "pt"],
  ])("reads %s as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it("scores Spanish-only and Portuguese-only words with opposite signs", () => {
    const odds = new Map(
      UI_PAIRS["es-pt"]
        ?.split(" ")
        .map((entry) => [entry.slice(0, entry.lastIndexOf(":")), Number(entry.split(":").pop())]),
    );
    expect(odds.get("los")).toBeGreaterThan(1);
    expect(odds.get("não")).toBeLessThan(-1);
  });
});

describe("Hindi / Nepali word odds from Debian's interface text (ui-words.ts)", () => {
  const odds = new Map(
    UI_PAIRS["hi-ne"]
      ?.split(" ")
      .map((entry) => [entry.slice(0, entry.lastIndexOf(":")), Number(entry.split(":").pop())]),
  );

  it("reads a short Hindi string of a shared Sanskrit term and a Hindi-only word as Hindi", () => {
    // प्रमाणपत्र (certificate) is written alike in both; दूरस्थ (remote) is Hindi's word, Nepali writes टाढाको.
    expect(detectLanguage("दूरस्थ प्रमाणपत्र").language).toBe("hi");
    expect(detectLanguage("टाढाको प्रमाणपत्र").language).toBe("ne");
  });

  it("scores the two spellings of a loanword with opposite signs and leaves shared terms out", () => {
    expect(odds.get("कैश")).toBeGreaterThan(1);
    expect(odds.get("क्यास")).toBeLessThan(-1);
    expect(odds.has("प्रमाणपत्र")).toBe(false);
  });
});

describe("interface word lists (ui-words.ts)", () => {
  it("holds at most 2,000 words a language, each once, none of them in the language's wordfreq list", () => {
    for (const [code, list] of Object.entries(UI_WORDS)) {
      const words = list.split(" ");
      expect(words.length).toBeLessThanOrEqual(2000);
      expect(new Set(words).size).toBe(words.length);
      const frequent = new Set((FREQUENT_WORDS.Latin as Record<string, string>)[code]?.split(" "));
      expect(words.filter((word) => frequent.has(word))).toEqual([]);
    }
  });

  it("keeps Czech and Italian imperatives that wordfreq's lists lack", () => {
    expect(UI_WORDS.cs?.split(" ")).toEqual(expect.arrayContaining(["zobrazit", "odebrat"]));
    expect(UI_WORDS.it?.split(" ")).toEqual(expect.arrayContaining(["rimuovi", "personalizza"]));
  });

  it("leaves out of English's list the terms translations keep as they are", () => {
    const english = new Set(UI_WORDS.en?.split(" "));
    for (const term of ["proxy", "plugin", "cookies"]) expect(english.has(term)).toBe(false);
  });
});

describe("CSS declarations", () => {
  it("leaves nothing to identify in CSS declarations", () => {
    expect(stripNonLanguage("min-width: 40em; min-height: 25em;")).toBe("");
    expect(stripNonLanguage("border: 1px solid #ccc; color: red;")).toBe("");
  });

  it("keeps the label before a colon and a number in prose", () => {
    expect(stripNonLanguage("Počet: 5")).toContain("Počet");
    expect(stripNonLanguage("Velikost: 12 MB")).toContain("Velikost");
  });
});
