import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/lid/detect";
import { isJapaneseHan, japaneseOverChinese } from "../../src/lid/han";

describe("Japanese or Chinese for text in Han characters alone (src/lid/han.ts)", () => {
  it.each([
    ["木曜日", "曜日: a Japanese word"],
    ["東京駅", "駅: a form only Japanese writes"],
    ["検索履歴", "検, 歴: Japanese shinjitai"],
    ["{0} 週間前", "週間: a Japanese word"],
  ])("reads %s as Japanese (%s)", (text) => {
    expect(detectLanguage(text).language).toBe("ja");
  });

  it.each([
    ["简体中文", "simplified"],
    ["检索历史", "simplified"],
    ["繁體中文", "traditional"],
    ["我們的時間", "traditional, with 時 and 間 as Japanese writes them"],
    ["每週報告", "traditional"],
    ["語言", "traditional: Chinese 语言, where Japanese writes 言語"],
  ])("reads %s as Chinese (%s)", (text) => {
    expect(detectLanguage(text).language).toBe("zh");
  });

  it("reads text whose characters both write alike as Chinese, the more likely of the two", () => {
    expect(japaneseOverChinese("中文")).toBeLessThanOrEqual(0);
    expect(isJapaneseHan("中文")).toBe(false);
    expect(detectLanguage("中文").language).toBe("zh");
  });

  it("adds pair evidence to character evidence: 曜日 outweighs its characters alone", () => {
    expect(japaneseOverChinese("曜日")).toBeGreaterThan(japaneseOverChinese("曜") + japaneseOverChinese("日"));
  });

  it("lets kana decide before the Han tables are consulted", () => {
    expect(detectLanguage("我們の時間").language).toBe("ja");
  });
});
