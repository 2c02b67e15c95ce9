/** Shapes of the users API (src/auth/users.ts). */
import type { UserView } from '../../../../src/auth/users';

export type User = UserView;
