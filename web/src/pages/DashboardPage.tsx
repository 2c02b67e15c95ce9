import { useT } from '../i18n';
import { PageHeader } from '../components/PageHeader';

export function DashboardPage() {
  const t = useT();
  return <PageHeader title={t({ uk: 'Огляд громади', en: 'Community overview' })} />;
}
