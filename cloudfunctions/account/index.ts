import { accountContract } from '../../src/domain/contract/account';
import { createRouter } from '../_shared';
import { secretaryHandlers } from './handlers/secretary';
import { selfHandlers } from './handlers/self';

/** Who the caller is, their profile, and the secretary's management of roles. */
export const main = createRouter(
  accountContract,
  { ...selfHandlers, ...secretaryHandlers },
  {
    name: 'account',
    roles: { setRole: ['secretary'], listAccounts: ['secretary'] },
  },
);
