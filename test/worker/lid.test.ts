import { describe, expect, it } from "vitest";
import { LANGUAGES, type LanguageCode, toCanonical, toFrancCode, toIso6393 } from "../../adapters/languages";
import { CALIBRATION, calibrated, isIndonesianMalay } from "../../src/lid/calibration";
import { CATALOGUE_WORDS } from "../../src/lid/catalogue-words";
import { detectLanguage } from "../../src/lid/detect";
import { stripNonLanguage, textForIdentification } from "../../src/lid/text";
import evalSet from "../fixtures/lid-eval.json";
import chromiumSet from "../fixtures/lid-eval-chromium.json";
import packagedSet from "../fixtures/lid-eval-packages.json";

const languages = evalSet.languages as Record<string, { short: string[]; sentences: string[] }>;

interface PackagedItem {
  lang: string;
  text: string;
  kind: "short" | "long" | "mixed";
  split: "dev" | "test";
  source: string;
  /** Other languages whose same source writes the string identically: their answer is right too. */
  also?: string[];
}
const packaged = packagedSet.items as PackagedItem[];

/** Whether `got` is a right answer for the item: its own language, or one that writes the string identically. */
const isRight = (item: PackagedItem, got: string | null) =>
  got === item.lang || (got !== null && (item.also ?? []).includes(got));

/** Accuracy per language of one split and kind of the packaged set, and their macro average. */
function packagedAccuracy(split: PackagedItem["split"], kind: PackagedItem["kind"]) {
  const perLanguage = new Map<string, number>();
  for (const lang of LANGUAGES) {
    const items = packaged.filter((i) => i.lang === lang && i.split === split && i.kind === kind);
    if (items.length === 0) continue;
    perLanguage.set(lang, items.filter((i) => isRight(i, detectLanguage(i.text).language)).length / items.length);
  }
  const values = [...perLanguage.values()];
  return { macro: values.reduce((a, b) => a + b, 0) / values.length, perLanguage };
}

describe("language identification on the team-written set", () => {
  it("covers all 42 Global-MMLU languages in the evaluation set", () => {
    expect(Object.keys(languages).sort()).toEqual([...LANGUAGES].sort());
  });

  it("reaches macro accuracy >= 0.95 on short query-like strings and >= 0.97 on sentences", () => {
    const macro = (kind: "short" | "sentences") =>
      LANGUAGES.reduce((sum, lang) => {
        const items = languages[lang]?.[kind] ?? [];
        return sum + items.filter((t) => detectLanguage(t).language === lang).length / items.length;
      }, 0) / LANGUAGES.length;
    expect(macro("short")).toBeGreaterThanOrEqual(0.95);
    expect(macro("sentences")).toBeGreaterThanOrEqual(0.97);
  });
});

describe("language identification on the packaged set (test/fixtures/lid-eval-packages.json)", () => {
  it("holds at least 3,000 strings over all 42 languages, each with held-out short strings", () => {
    expect(packaged.length).toBeGreaterThanOrEqual(3000);
    const held = new Set(packaged.filter((i) => i.split === "test" && i.kind === "short").map((i) => i.lang));
    expect([...held].sort()).toEqual([...LANGUAGES].sort());
  });

  // Floors at the figures measured when this test was written (docs/lid-comparison.md), so that a change that
  // loses accuracy on text nobody on the team wrote fails here; an answer the item's `also` names counts as right
  // (docs/lid-eval.md). Short strings: 0.953 (0.948 taking each string's own language alone); Malay and Indonesian
  // are below the 0.85 (README).
  it("keeps held-out macro accuracy >= 0.95 on short strings, >= 0.99 on sentences, >= 0.945 on mixed strings", () => {
    expect(packagedAccuracy("test", "short").macro).toBeGreaterThanOrEqual(0.95);
    expect(packagedAccuracy("test", "long").macro).toBeGreaterThanOrEqual(0.99);
    expect(packagedAccuracy("test", "mixed").macro).toBeGreaterThanOrEqual(0.945);
  });

  it("keeps dev-split macro accuracy >= 0.92 on short strings and >= 0.91 on mixed strings", () => {
    expect(packagedAccuracy("dev", "short").macro).toBeGreaterThanOrEqual(0.92);
    expect(packagedAccuracy("dev", "mixed").macro).toBeGreaterThanOrEqual(0.91);
  });

  it("keeps every language other than Malay and Indonesian at >= 0.85 on held-out short strings", () => {
    const below = [...packagedAccuracy("test", "short").perLanguage].filter(([, accuracy]) => accuracy < 0.85);
    expect(below.map(([lang]) => lang).filter((lang) => lang !== "id" && lang !== "ms")).toEqual([]);
  });

  it("tells Hindi from Nepali on held-out short strings with accuracy >= 0.85 each (both have word lists)", () => {
    const { perLanguage } = packagedAccuracy("test", "short");
    expect(perLanguage.get("hi")).toBeGreaterThanOrEqual(0.85);
    expect(perLanguage.get("ne")).toBeGreaterThanOrEqual(0.85);
  });

  it("identifies every language's held-out sentences with accuracy >= 0.85", () => {
    for (const [lang, accuracy] of packagedAccuracy("test", "long").perLanguage) {
      expect({ lang, ok: accuracy >= 0.85 }).toEqual({ lang, ok: true });
    }
  });

  it("reports a confidence that tracks accuracy: held-out detections at >= 0.9 are right >= 95% of the time", () => {
    const confident = packaged
      .filter((i) => i.split === "test")
      .map((i) => ({ i, d: detectLanguage(i.text) }))
      .filter(({ d }) => d.confidence >= 0.9);
    const right = confident.filter(({ i, d }) => isRight(i, d.language)).length;
    expect(confident.length).toBeGreaterThan(1000);
    expect(right / confident.length).toBeGreaterThanOrEqual(0.95);
  });

  it("reports for decisions between Indonesian and Malay a mean confidence within 0.05 of their held-out accuracy", () => {
    const between = packaged
      .filter((i) => i.split === "test")
      .map((i) => ({ i, d: detectLanguage(i.text) }))
      .filter(({ d }) => isIndonesianMalay(d.language, d.runnerUp));
    const accuracy = between.filter(({ i, d }) => isRight(i, d.language)).length / between.length;
    const meanConfidence = between.reduce((sum, { d }) => sum + d.confidence, 0) / between.length;
    expect(between.length).toBeGreaterThan(50);
    expect(Math.abs(meanConfidence - accuracy)).toBeLessThanOrEqual(0.05);
  });
});

describe("calibrated confidence", () => {
  it("gives a decision between Indonesian and Malay less confidence than another pair's with the same evidence", () => {
    const { shared } = CALIBRATION;
    expect(calibrated(shared, 3, 1.5, true)).toBeLessThan(calibrated(shared, 3, 1.5, false));
    expect(isIndonesianMalay("ms", "id")).toBe(true);
    expect(isIndonesianMalay("id", "ms")).toBe(true);
    expect(isIndonesianMalay("id", "sw")).toBe(false);
    expect(isIndonesianMalay("ms", null)).toBe(false);
  });
});

describe("language identification on Chromium's interface strings (test/fixtures/lid-eval-chromium.json)", () => {
  // A second held-out set, built after the word lists and weights were chosen and never tuned on: a floor at the
  // figure measured when it was built, so that a change that loses accuracy on it fails here.
  it("keeps macro accuracy >= 0.94 over the 32 languages Chromium ships, 60 short strings each", () => {
    const items = chromiumSet.items as { lang: string; text: string }[];
    const languages = [...new Set(items.map((i) => i.lang))];
    expect(languages).toHaveLength(32);
    const macro =
      languages.reduce((sum, lang) => {
        const own = items.filter((i) => i.lang === lang);
        expect(own).toHaveLength(60);
        return sum + own.filter((i) => detectLanguage(i.text).language === lang).length / own.length;
      }, 0) / languages.length;
    expect(macro).toBeGreaterThanOrEqual(0.94);
  });
});

describe("script evidence from the characters that carry language", () => {
  it.each<[string, LanguageCode]>([
    ["运行 docker compose up 时报错", "zh"],
    ["如何在 Kubernetes Deployment 中设置 replicas", "zh"],
    ["請問 React useEffect 的 cleanup 何時執行", "zh"],
    ["git rebase の使い方を教えて", "ja"],
    ["npm install でエラーが出ます", "ja"],
    ["繁體中文設定", "zh"],
    ["駅までの時間", "ja"],
    ["Python 리스트 comprehension 설명해 주세요", "ko"],
    ["Как настроить nginx reverse proxy для Docker", "ru"],
    ["كيف أستخدم Docker Compose مع PostgreSQL", "ar"],
    ["Docker Compose कैसे इस्तेमाल करें", "hi"],
    ["Docker Compose እንዴት እጠቀማለሁ", "am"],
  ])("reads %s as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it("is confident about Han text among Latin tokens", () => {
    expect(detectLanguage("运行 docker compose up 时报错").confidence).toBeGreaterThan(0.9);
  });
});

describe("stripping what carries no language", () => {
  it.each([
    ["%(count)s Dateien wurden gelöscht", "de"],
    ["{0} Tage verbleibend, {{user_name}}", "de"],
    ["%1$d archivos eliminados --force", "es"],
    ["Esegui `pip install -r requirements.txt` nella cartella /home/utente/progetto", "it"],
    ["Kirjoita osoite https://example.com/a?b=c tai user@example.org", null],
    ["<b>Bienvenue</b>&nbsp;sur votre tableau de bord", "fr"],
    ["Pasang paket dengan npm ci --omit=dev lalu jalankan build.sh", "id"],
  ])("identifies %s as %s", (text, language) => {
    if (language) expect(detectLanguage(text).language).toBe(language);
    expect(stripNonLanguage(text)).not.toMatch(/%\(|\{|--|https?:|@|<b>|&nbsp;|\.sh\b|\/home/);
  });

  it("says there was nothing to identify when only code, placeholders and numbers are left", () => {
    for (const text of [
      "```\nprint(1)\n```",
      "%(count)s {0} --verbose",
      "12345 + 678 = ?",
      "`make test` /usr/bin/env",
    ]) {
      expect(detectLanguage(text)).toEqual({ language: null, confidence: 0, runnerUp: null, empty: true });
    }
  });

  it("keeps the branches of ICU plural messages, dropping their syntax", () => {
    expect(stripNonLanguage("{count, plural, one {# Datei} other {# Dateien}}")).toMatch(/Datei.*Dateien/);
    expect(stripNonLanguage("{count, plural, one {# Datei} other {# Dateien}}")).not.toMatch(/plural|one|other/);
  });

  it("keeps all-caps prose, which acronym stripping would otherwise erase", () => {
    expect(detectLanguage("WO IST DER BAHNHOF").language).toBe("de");
  });
});

describe("close pairs decided by what separates them", () => {
  it.each<[string, LanguageCode]>([
    ["Sila masukkan kata laluan anda", "ms"],
    ["Silakan masukkan kata sandi Anda", "id"],
    ["Saya tidak boleh datang esok kerana sakit", "ms"],
    ["Saya tidak bisa datang besok karena sakit", "id"],
    ["Где је најближа апотека?", "sr"],
    ["Gde je najbliža apoteka, molim vas?", "sr"],
    ["Где находится ближайшая аптека?", "ru"],
    ["Де знаходиться найближча аптека?", "uk"],
    ["Dobrý den, kde je nádraží?", "cs"],
    ["Gdzie jest dworzec kolejowy?", "pl"],
    ["¿Dónde está la estación de tren?", "es"],
    ["Onde fica a estação de comboios?", "pt"],
    ["Dov'è la stazione dei treni?", "it"],
    ["Var ligger järnvägsstationen?", "sv"],
    ["मुझे कल दिल्ली जाना है", "hi"],
    ["मलाई भोलि काठमाडौं जानु छ", "ne"],
    ["این کتاب را کجا می‌توانم بخرم؟", "fa"],
    ["أين يمكنني شراء هذا الكتاب؟", "ar"],
  ])("reads %s as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});

describe("word lists from Debian's UI translations (catalogue-words.ts)", () => {
  it("ranks at least 500 words for each of Swahili, Hausa, Yoruba, Igbo, Malagasy (Latin) and Kyrgyz (Cyrillic), each word once", () => {
    expect(Object.keys(CATALOGUE_WORDS).sort()).toEqual(["Cyrillic", "Latin"]);
    expect(Object.keys(CATALOGUE_WORDS.Latin ?? {}).sort()).toEqual(["ha", "ig", "mg", "sw", "yo"]);
    expect(Object.keys(CATALOGUE_WORDS.Cyrillic ?? {})).toEqual(["ky"]);
    for (const lists of Object.values(CATALOGUE_WORDS))
      for (const [code, list] of Object.entries(lists)) {
        const words = list.split(" ");
        expect({ code, enough: words.length >= 500 }).toEqual({ code, enough: true });
        expect(new Set(words).size).toBe(words.length);
      }
    expect(CATALOGUE_WORDS.Latin?.sw?.split(" ").slice(0, 10)).toEqual(expect.arrayContaining(["ya", "kwa", "na"]));
    expect(CATALOGUE_WORDS.Cyrillic?.ky?.split(" ").slice(0, 10)).toEqual(
      expect.arrayContaining(["жок", "бул", "үчүн"]),
    );
  });

  it("keeps the Kyrgyz list Cyrillic and free of untranslated Russian and of Russian interface loans", () => {
    const words = new Set(CATALOGUE_WORDS.Cyrillic?.ky?.split(" "));
    expect([...words].filter((word) => !/^[\u0400-\u04ff]+(?:['’-][\u0400-\u04ff]+)*$/u.test(word))).toEqual([]);
    expect(["если", "для", "или", "будет", "этот", "файлы", "панель", "сервер"].filter((w) => words.has(w))).toEqual(
      [],
    );
  });

  // Everyday phrases the hand lists do not hold whole ("uso wenye tabasamu" read as Hausa and "idanu biyu" as Turkish
  // before the lists came); Firefox's Russian "Адресная строка" and "Панель меню" read as Kyrgyz before its list and
  // GNOME's Kyrgyz "Электрондук таблица" as Russian.
  it.each<[string, LanguageCode]>([
    ["uso wenye tabasamu", "sw"],
    ["Habari ya asubuhi", "sw"],
    ["idanu biyu", "ha"],
    ["kyanwa mai dariya", "ha"],
    ["Электрондук таблица", "ky"],
    ["Экспозиция убакыты", "ky"],
    ["Порт ачык", "ky"],
    ["Адресная строка", "ru"],
    ["Панель меню", "ru"],
    ["Масштабируемая прокрутка", "ru"],
  ])("reads %s as %s", (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});

describe("repeated text", () => {
  it("reads a Swahili question repeated 2, 3 and 10 times as Swahili", () => {
    const question = "Mji mkuu wa Kenya ni upi?";
    for (const times of [1, 2, 3, 10]) {
      expect({ times, language: detectLanguage(Array(times).fill(question).join(" ")).language }).toEqual({
        times,
        language: "sw",
      });
    }
  });

  it("keeps every team-set sentence it identifies right when the sentence is repeated 3 or 10 times", () => {
    for (const [lang, { sentences }] of Object.entries(languages)) {
      for (const sentence of sentences.filter((s) => detectLanguage(s).language === lang)) {
        for (const times of [3, 10]) {
          const language = detectLanguage(Array(times).fill(sentence).join(" ")).language;
          expect({ sentence, times, language }).toEqual({ sentence, times, language: lang });
        }
      }
    }
  });
});

describe("candidate restriction", () => {
  it("restricts answers to the given candidates", () => {
    expect(detectLanguage("Wie geht es dir heute?", { candidates: ["nl", "sv"] }).language).toMatch(/^(nl|sv)$/);
    expect(detectLanguage("Какая столица Канады?", { candidates: ["de", "fr"] }).language).toBeNull();
  });

  it("returns unknown, not nothing-to-identify, for text without letters of a listed script", () => {
    expect(detectLanguage("!!! ??? ...").empty).toBe(true);
    expect(detectLanguage("Какая столица Канады?", { candidates: ["de"] }).empty).toBe(false);
  });
});

describe("language codes", () => {
  it.each([
    ["swh", "sw"],
    ["npi", "ne"],
    ["arb", "ar"],
    ["pes", "fa"],
    ["cmn", "zh"],
    ["tgl", "fil"],
    ["pt-BR", "pt"],
    ["zh_Hans", "zh"],
    ["iw", "he"],
    ["deu", "de"],
    ["fil", "fil"],
    ["xx", undefined],
  ])("maps %s to %s", (code, canonical) => {
    expect(toCanonical(code)).toBe(canonical);
  });

  it("round-trips every canonical code through ISO 639-3 and franc's codes", () => {
    for (const code of LANGUAGES) {
      expect(toCanonical(toIso6393(code))).toBe(code);
      expect(toCanonical(toFrancCode(code))).toBe(code);
    }
  });
});

describe("text extraction", () => {
  it("drops code blocks, inline code and URLs, keeping prose", () => {
    expect(
      stripNonLanguage("Eleza hii `x = 1` ```js\nconsole.log(1)\n``` tazama https://example.com")
        .replace(/\s+/g, " ")
        .trim(),
    ).toBe("Eleza hii tazama");
  });

  it("reads the last user message, including multi-part content", () => {
    const text = textForIdentification([
      { role: "user", content: "first" },
      { role: "assistant", content: "reply" },
      { role: "user", content: [{ type: "image_url" }, { type: "text", text: "second" }] },
    ]);
    expect(text).toBe("second");
  });
});

describe("shared language vectors", () => {
  it("matches test/vectors/languages.json (asserted by the Python trainer too)", async () => {
    const vectors = (await import("../vectors/languages.json")).default as {
      languages: string[];
      iso639_3: Record<string, string>;
      aliases: Record<string, string>;
    };
    expect([...LANGUAGES]).toEqual(vectors.languages);
    for (const code of LANGUAGES) expect(toIso6393(code)).toBe(vectors.iso639_3[code]);
    for (const [alias, code] of Object.entries(vectors.aliases)) expect(toCanonical(alias)).toBe(code);
  });
});
