import { STAFF, type Role } from '../../session';

/** Who may change providers and services (the server checks this again). */
export const REGISTRY_EDITORS: Role[] = ['admin', 'operator'];

export const canEditRegistry = (role: Role | undefined) => role !== undefined && REGISTRY_EDITORS.includes(role);

/** Who may read the registry: staff, and provider users (the server shows them only their own accounts). */
export const REGISTRY_READERS: Role[] = [...STAFF, 'provider'];
