import { accountContract } from './account';
import { bookingContract } from './booking';
import { circleContract } from './circle';
import { volunteerContract } from './volunteer';
import { visitsContract } from './visits';
import type { ErrorOf, InputOf, OutputOf } from './define';

/** Every deployed cloud function and its actions. The one source of truth for client and server. */
export const contract = {
  account: accountContract,
  booking: bookingContract,
  circle: circleContract,
  volunteer: volunteerContract,
  visits: visitsContract,
};

export type Contract = typeof contract;
export type FunctionName = keyof Contract;
export type ActionName<F extends FunctionName> = keyof Contract[F] & string;
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = InputOf<Contract[F][A]>;
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = OutputOf<
  Contract[F][A]
>;
export type ActionError<F extends FunctionName, A extends ActionName<F>> = ErrorOf<Contract[F][A]>;

export * from './define';
export * from './account';
export * from './booking';
export * from './circle';
export * from './volunteer';
export * from './visits';
