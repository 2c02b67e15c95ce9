// The registry as the API returns it (src/registry/routes.ts): the server's own result types, imported
// as types only (nothing of the server is bundled). Areas are decimal strings.
import type { BuildingCard, PremiseCard, ProviderView, ServiceView } from '../../../../src/registry/service';
import type { AddressHit, AddressSearch } from '../../../../src/registry/search';

export type { AddressHit };
export type AddressSearchResult = AddressSearch;
export type Building = BuildingCard;
export type BuildingPremise = BuildingCard['premises'][number];
export type Management = BuildingCard['management'];
export type Premise = PremiseCard;
export type PremiseAccount = PremiseCard['accounts'][number];
export type PremiseKind = PremiseCard['kind'];
export type Provider = ProviderView;
export type Service = ServiceView;
