import type { RegistryTables } from '../registry/tables';
import type { OnboardingTables } from '../onboarding/tables';
import type { MeteringTables } from '../metering/tables';
import type { BillingTables } from '../billing/tables';
import type { JobsTables } from '../jobs/tables';
import type { BillsTables } from '../bills/tables';
import type { PaymentsTables } from '../payments/tables';
import type { PortalTables } from '../portal/tables';

/** Every table of the database, assembled from the domains that own them. */
export interface Database extends RegistryTables, OnboardingTables, MeteringTables, BillingTables, JobsTables, BillsTables, PaymentsTables, PortalTables {}
