import type { ReactNode } from 'react';
import { IconHome } from '@tabler/icons-react';
import type { Icon } from '@tabler/icons-react';
import type { Bilingual } from './i18n';
import { ALL_ROLES, STAFF, type Role } from './session';
import { HomePage } from './pages/HomePage';
import { DashboardPage } from './pages/DashboardPage';

/**
 * Every page of the app, in menu order. To add a page, append one line:
 *   { path: '/imports', label: { uk: 'Імпорт', en: 'Imports' }, roles: ['operator'], element: <ImportsPage />, icon: IconUpload },
 * Entries with `hidden: true` are routes without a menu item (cards opened from other pages).
 * When two entries share a path, the first one whose roles include the user's role wins.
 */
export interface NavEntry {
  path: string;
  label: Bilingual;
  roles: Role[];
  element: ReactNode;
  icon: Icon;
  hidden?: boolean;
}

export const nav: NavEntry[] = [
  { path: '/', label: { uk: 'Головна', en: 'Home' }, roles: STAFF, element: <DashboardPage />, icon: IconHome },
  { path: '/', label: { uk: 'Головна', en: 'Home' }, roles: ALL_ROLES, element: <HomePage />, icon: IconHome },
];

/** The entries a role may open, one per path (the first wins). */
export function entriesFor(role: Role): NavEntry[] {
  const seen = new Set<string>();
  return nav.filter((entry) => {
    if (!entry.roles.includes(role) || seen.has(entry.path)) return false;
    seen.add(entry.path);
    return true;
  });
}
