import type { ReactNode } from 'react';
import { IconBriefcase, IconBuilding, IconCategory, IconDoor, IconHome, IconSearch } from '@tabler/icons-react';
import type { Icon } from '@tabler/icons-react';
import type { Bilingual } from './i18n';
import { ALL_ROLES, STAFF, type Role } from './session';
import { HomePage } from './pages/HomePage';
import { DashboardPage } from './pages/DashboardPage';
import { AddressSearchPage } from './pages/registry/AddressSearchPage';
import { BuildingPage } from './pages/registry/BuildingPage';
import { PremisePage } from './pages/registry/PremisePage';
import { ProvidersPage } from './pages/registry/ProvidersPage';
import { ProviderFormPage } from './pages/registry/ProviderFormPage';
import { ServicesPage } from './pages/registry/ServicesPage';
import { ServiceFormPage } from './pages/registry/ServiceFormPage';
import { REGISTRY_EDITORS, REGISTRY_READERS } from './pages/registry/access';
import { ReadingDeskPage } from './pages/metering/ReadingDeskPage';
import { ReviewQueuePage } from './pages/metering/ReviewQueuePage';
import { TariffsPage } from './pages/billing/TariffsPage';
import { BillingRunsPage } from './pages/billing/BillingRunsPage';
import { AccountCardPage } from './pages/billing/AccountCardPage';
import { UnifiedStatementPage } from './pages/billing/UnifiedStatementPage';
import { PremiseSupportPage } from './pages/billing/PremiseSupportPage';
import { TariffControlPage } from './pages/billing/TariffControlPage';
import { ImportsPage } from './pages/onboarding/ImportsPage';
import { ImportQueuePage } from './pages/onboarding/ImportQueuePage';
import { ProfilePage } from './pages/onboarding/ProfilePage';
import { BillPreviewPage } from './pages/bills/BillPreviewPage';
import { PaymentsPage } from './pages/payments/PaymentsPage';
import { ProviderHomePage } from './pages/providers/ProviderHomePage';
import { AgentsPage } from './pages/payments/AgentsPage';
import { SettlementPage } from './pages/payments/SettlementPage';
import { ReconciliationPage } from './pages/payments/ReconciliationPage';
import { IconBuildingBank, IconFileCheck, IconKey } from '@tabler/icons-react';
import { IconFileImport } from '@tabler/icons-react';
import { IconCalculator, IconReceipt2, IconScale, IconWallet } from '@tabler/icons-react';
import { IconGauge, IconListCheck, IconUsers } from '@tabler/icons-react';
import { UsersPage } from './pages/admin/UsersPage';
import { AuditPage } from './pages/admin/AuditPage';
import { IconHistory } from '@tabler/icons-react';
// Bills (issue 13)
import { BillDesignPage } from './pages/bills/BillDesignPage';
import { PrintRunsPage } from './pages/bills/PrintRunsPage';
import { EbillLogPage } from './pages/bills/EbillLogPage';
import { NoticesPage } from './pages/bills/NoticesPage';
import { IconSpeakerphone } from '@tabler/icons-react';
import { IconMail, IconPalette, IconPrinter } from '@tabler/icons-react';

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
  { path: '/', label: { uk: 'Головна', en: 'Home' }, roles: ['provider'], element: <ProviderHomePage />, icon: IconHome },
  { path: '/', label: { uk: 'Головна', en: 'Home' }, roles: ALL_ROLES, element: <HomePage />, icon: IconHome },
  { path: '/search', label: { uk: 'Пошук адреси', en: 'Address search' }, roles: REGISTRY_READERS, element: <AddressSearchPage />, icon: IconSearch },
  { path: '/buildings/:id', label: { uk: 'Будинок', en: 'Building' }, roles: REGISTRY_READERS, element: <BuildingPage />, icon: IconBuilding, hidden: true },
  { path: '/premises/:id', label: { uk: 'Приміщення', en: 'Premise' }, roles: REGISTRY_READERS, element: <PremisePage />, icon: IconDoor, hidden: true },
  { path: '/providers', label: { uk: 'Постачальники', en: 'Providers' }, roles: REGISTRY_READERS, element: <ProvidersPage />, icon: IconBriefcase },
  { path: '/providers/:id', label: { uk: 'Постачальник', en: 'Provider' }, roles: REGISTRY_EDITORS, element: <ProviderFormPage />, icon: IconBriefcase, hidden: true },
  { path: '/services', label: { uk: 'Послуги', en: 'Services' }, roles: REGISTRY_READERS, element: <ServicesPage />, icon: IconCategory },
  { path: '/services/:id', label: { uk: 'Послуга', en: 'Service' }, roles: REGISTRY_EDITORS, element: <ServiceFormPage />, icon: IconCategory, hidden: true },
  { path: '/metering/desk', label: { uk: 'Показники (кол-центр)', en: 'Readings desk' }, roles: ['admin', 'operator'], element: <ReadingDeskPage />, icon: IconGauge },
  { path: '/metering/review', label: { uk: 'Показники на перевірці', en: 'Readings in review' }, roles: ['admin', 'operator', 'provider'], element: <ReviewQueuePage />, icon: IconListCheck },
  { path: '/billing/tariffs', label: { uk: 'Тарифи', en: 'Tariffs' }, roles: ['admin', 'operator', 'city', 'provider'], element: <TariffsPage />, icon: IconReceipt2 },
  { path: '/billing/runs', label: { uk: 'Нарахування', en: 'Billing runs' }, roles: ['admin', 'operator', 'city'], element: <BillingRunsPage />, icon: IconCalculator },
  { path: '/billing/tariff-control', label: { uk: 'Контроль тарифів', en: 'Tariff control' }, roles: ['admin', 'operator', 'city'], element: <TariffControlPage />, icon: IconScale },
  { path: '/billing/accounts/:id', label: { uk: 'Особовий рахунок', en: 'Account' }, roles: ['admin', 'operator', 'city', 'provider'], element: <AccountCardPage />, icon: IconWallet, hidden: true },
  { path: '/billing/premises/:id', label: { uk: 'Виписка ЄР', en: 'Unified statement' }, roles: ['admin', 'operator', 'city'], element: <UnifiedStatementPage />, icon: IconWallet, hidden: true },
  { path: '/billing/premises/:id/support', label: { uk: 'Пільги та субсидії', en: 'Benefits and subsidies' }, roles: ['admin', 'operator', 'city'], element: <PremiseSupportPage />, icon: IconWallet, hidden: true },
  { path: '/onboarding/imports', label: { uk: 'Імпорт даних', en: 'Data imports' }, roles: ['admin', 'operator', 'provider'], element: <ImportsPage />, icon: IconFileImport },
  { path: '/onboarding/imports/:id/queue', label: { uk: 'Черга перевірки імпорту', en: 'Import review queue' }, roles: ['admin', 'operator', 'provider'], element: <ImportQueuePage />, icon: IconFileImport, hidden: true },
  { path: '/payments', label: { uk: 'Платежі', en: 'Payments' }, roles: ['admin', 'operator', 'city'], element: <PaymentsPage />, icon: IconWallet },
  { path: '/payments/agents', label: { uk: 'Платіжні агенти', en: 'Payment agents' }, roles: ['admin', 'operator'], element: <AgentsPage />, icon: IconKey },
  { path: '/payments/reconciliation', label: { uk: 'Звірка реєстрів', en: 'Reconciliation' }, roles: ['admin', 'operator', 'city'], element: <ReconciliationPage />, icon: IconFileCheck },
  { path: '/payments/settlement', label: { uk: 'Розрахунки з постачальниками', en: 'Settlement' }, roles: ['admin', 'operator', 'city', 'provider'], element: <SettlementPage />, icon: IconBuildingBank },
  { path: '/onboarding/profiles/new', label: { uk: 'Профіль імпорту', en: 'Import profile' }, roles: ['admin', 'operator'], element: <ProfilePage />, icon: IconFileImport, hidden: true },
  { path: '/bills/preview', label: { uk: 'Перегляд рахунку', en: 'Bill preview' }, roles: ['admin', 'operator', 'city'], element: <BillPreviewPage />, icon: IconReceipt2 },
  { path: '/bills/design', label: { uk: 'Дизайн рахунку', en: 'Bill design' }, roles: ['admin'], element: <BillDesignPage />, icon: IconPalette },
  { path: '/bills/print-runs', label: { uk: 'Друк рахунків', en: 'Print runs' }, roles: ['admin', 'operator', 'city'], element: <PrintRunsPage />, icon: IconPrinter },
  { path: '/bills/ebills', label: { uk: 'Електронні рахунки', en: 'E-bills' }, roles: ['admin', 'operator', 'city'], element: <EbillLogPage />, icon: IconMail },
  { path: '/bills/notices', label: { uk: 'Оголошення на рахунках', en: 'Notices on bills' }, roles: ['admin', 'operator', 'city', 'provider'], element: <NoticesPage />, icon: IconSpeakerphone },
  { path: '/admin/users', label: { uk: 'Користувачі та ролі', en: 'Users and roles' }, roles: ['admin'], element: <UsersPage />, icon: IconUsers },
  { path: '/admin/audit', label: { uk: 'Журнал дій', en: 'Audit log' }, roles: ['admin', 'city'], element: <AuditPage />, icon: IconHistory },
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
