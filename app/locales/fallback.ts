import en from "./en/errors.json";
import ja from "./ja/errors.json";
import ko from "./ko/errors.json";

/** Error-page text in every language, for when the root loader itself failed. */
export const fallbackResources = { en: { errors: en }, ja: { errors: ja }, ko: { errors: ko } };
