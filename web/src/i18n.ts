import { useCallback, useSyncExternalStore } from 'react';

/**
 * A small i18n: Ukrainian first, English second. Shared words live in the dictionaries below;
 * a page may also pass its own `{ uk, en }` pair to `t(…)` so that its strings stay beside it.
 */
export type Lang = 'uk' | 'en';
export const LANGS: Lang[] = ['uk', 'en'];

/** A text in both languages of the interface. */
export interface Bilingual {
  uk: string;
  en: string;
}

const uk = {
  'app.name': 'Громада',
  'app.tagline': 'Єдиний рахунок',
  'app.loading': 'Завантаження…',
  'app.language': 'Мова',
  'app.menu': 'Меню',
  'app.skipToContent': 'Перейти до змісту',
  'app.notFound': 'Такої сторінки немає',
  'app.toHome': 'На головну',
  'app.retry': 'Спробувати ще раз',
  'app.error': 'Помилка',
  'app.saved': 'Збережено',

  'auth.signIn': 'Увійти',
  'auth.signInTitle': 'Вхід до системи',
  'auth.signInHint': 'Введіть логін і пароль, які вам видав адміністратор.',
  'auth.login': 'Логін',
  'auth.password': 'Пароль',
  'auth.signOut': 'Вийти',
  'auth.signingIn': 'Входимо…',
  'auth.loginRequired': 'Введіть логін',
  'auth.passwordRequired': 'Введіть пароль',
  'auth.signInFailed': 'Не вдалося увійти',

  'role.admin': 'Адміністратор',
  'role.operator': 'Оператор',
  'role.provider': 'Постачальник',
  'role.city': 'Представник міста',
  'role.resident': 'Мешканець',

  'common.save': 'Зберегти',
  'common.cancel': 'Скасувати',
  'common.create': 'Додати',
  'common.edit': 'Змінити',
  'common.back': 'Назад',
  'common.search': 'Пошук',
  'common.nothingFound': 'Нічого не знайдено',
  'common.empty': 'Поки що нічого немає',
  'common.yes': 'так',
  'common.no': 'ні',
  'common.loadMore': 'Показати ще',
  'common.none': '—',

  'job.queued': 'У черзі',
  'job.running': 'Виконується',
  'job.succeeded': 'Готово',
  'job.failed': 'Помилка',
  'job.cancelled': 'Скасовано',
  'job.progress': 'Виконано {done} з {total}',

  'home.welcome': 'Вітаємо, {name}!',
  'home.noPages': 'Розділи для вашої ролі з’являться тут найближчим часом.',
} as const;

export type MessageKey = keyof typeof uk;

const en: Record<MessageKey, string> = {
  'app.name': 'Hromada',
  'app.tagline': 'Unified bill',
  'app.loading': 'Loading…',
  'app.language': 'Language',
  'app.menu': 'Menu',
  'app.skipToContent': 'Skip to content',
  'app.notFound': 'There is no such page',
  'app.toHome': 'Home',
  'app.retry': 'Try again',
  'app.error': 'Error',
  'app.saved': 'Saved',

  'auth.signIn': 'Sign in',
  'auth.signInTitle': 'Sign in',
  'auth.signInHint': 'Enter the login and password your administrator gave you.',
  'auth.login': 'Login',
  'auth.password': 'Password',
  'auth.signOut': 'Sign out',
  'auth.signingIn': 'Signing in…',
  'auth.loginRequired': 'Enter your login',
  'auth.passwordRequired': 'Enter your password',
  'auth.signInFailed': 'Could not sign in',

  'role.admin': 'Administrator',
  'role.operator': 'Operator',
  'role.provider': 'Provider',
  'role.city': 'City official',
  'role.resident': 'Resident',

  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.create': 'Add',
  'common.edit': 'Edit',
  'common.back': 'Back',
  'common.search': 'Search',
  'common.nothingFound': 'Nothing found',
  'common.empty': 'Nothing here yet',
  'common.yes': 'yes',
  'common.no': 'no',
  'common.loadMore': 'Show more',
  'common.none': '—',

  'job.queued': 'Queued',
  'job.running': 'Running',
  'job.succeeded': 'Done',
  'job.failed': 'Failed',
  'job.cancelled': 'Cancelled',
  'job.progress': '{done} of {total} done',

  'home.welcome': 'Welcome, {name}!',
  'home.noPages': 'Sections for your role will appear here soon.',
};

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { uk, en };

// The chosen language is remembered in localStorage and shared by every component.
const STORAGE_KEY = 'hromada.lang';
const listeners = new Set<() => void>();

function readStoredLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'uk';
  } catch {
    return 'uk';
  }
}

let currentLang: Lang = readStoredLang();
if (typeof document !== 'undefined') document.documentElement.lang = currentLang;

export function getLang(): Lang {
  return currentLang;
}

export function setLang(lang: Lang): void {
  if (lang === currentLang) return;
  currentLang = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLang(): Lang {
  return useSyncExternalStore(subscribe, getLang, getLang);
}

/** A key of the shared dictionary, or a page's own pair of texts. */
export type Text = MessageKey | Bilingual;
export type Vars = Record<string, string | number>;

/** Translates without React (e.g. for errors made outside components). */
export function translate(lang: Lang, text: Text, vars?: Vars): string {
  const template = typeof text === 'string' ? dictionaries[lang][text] : text[lang];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type Translate = (text: Text, vars?: Vars) => string;

/** `const t = useT(); t('auth.signIn'); t({ uk: 'Будинок', en: 'Building' })` */
export function useT(): Translate {
  const lang = useLang();
  return useCallback((text: Text, vars?: Vars) => translate(lang, text, vars), [lang]);
}

/** Formats numbers and dates the way the chosen language writes them. */
export function useFormat() {
  const lang = useLang();
  const locale = lang === 'uk' ? 'uk-UA' : 'en-GB';
  return {
    locale,
    number: (value: number | string, fractionDigits = 0) =>
      new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(Number(value)),
    /** A decimal area such as '52.30' → «52,3 м²»; empty when unknown. */
    area: (value: string | number | null | undefined) =>
      value === null || value === undefined || value === ''
        ? ''
        : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(value))} ${lang === 'uk' ? 'м²' : 'm²'}`,
    /** 'YYYY-MM-DD' → 26.11.2026 (uk) or 26/11/2026 (en); dates from the API carry no time zone. */
    date: (value: string | null | undefined) => {
      if (!value) return '';
      const [y, m, d] = value.slice(0, 10).split('-').map(Number);
      return new Intl.DateTimeFormat(locale, { timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
    },
    /** An instant (ISO with time zone) as Kyiv's date and time: 03.12.2026, 20:15. */
    dateTime: (value: string) => new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Kyiv', dateStyle: 'short', timeStyle: 'short' }).format(new Date(value)),
  };
}
