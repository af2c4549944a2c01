import type { LoginFlow } from '../oauth/login-flow.js';
import { pickLocale, type Locale } from '../ui/i18n.js';
import type { StepCookies } from './outcome.js';

/** nb by default → ui_locales → a language cookie from an earlier switch overrides both (spec §5.4); a switch during this flow wins. */
export function localeFor(cookies: StepCookies, flow?: LoginFlow): Locale {
  return pickLocale([flow?.pickedLocale, cookies.lang, ...(flow?.request.uiLocales ?? [])]);
}
