import type { volunteerContract } from '../../../src/domain/contract/volunteer';
import {
  REGISTRATION_REJECTED_MESSAGE,
  registrationRefusal,
} from '../../../src/domain/volunteer/registration';
import { fail, ok } from '../../../src/domain/shared/result';
import type { HandlerGroup } from '../../_shared';
import { listingView, myClaimView, profileView, serviceView, summaryFromBalance } from '../docs';
import {
  decideRegistration,
  loadMine,
  loadSettings,
  loadVolunteer,
  saveRegistration,
  saveSettings,
  setHonourOptOut,
  volunteersPage,
} from '../store';

/** Registration and settings: volunteers register (with consent) and see their own record; the secretary approves and reads the roll. */
export const registrationHandlers = {
  async settings(_input, ctx) {
    return ok(await loadSettings(ctx.db));
  },

  async updateSettings(input, ctx) {
    const current = await loadSettings(ctx.db);
    const next = {
      requireApproval: input.requireApproval ?? current.requireApproval,
      organisation: input.organisation ?? current.organisation,
    };
    await saveSettings(ctx.db, next, ctx.openid, ctx.now);
    return ok({ ...current, ...next });
  },

  async register(input, ctx) {
    const existing = await loadVolunteer(ctx.db, ctx.openid);
    const refusal = registrationRefusal(existing);
    if (refusal) return fail(refusal, REGISTRATION_REJECTED_MESSAGE);
    return ok(profileView(await saveRegistration(ctx.db, ctx.openid, input, existing !== null)));
  },

  async me(_input, ctx) {
    const { volunteer, balance, claims, services } = await loadMine(ctx.db, ctx.openid);
    const open = new Map(
      services.filter((s) => s.status === 'open').map((s) => [s.claimId, s._id]),
    );
    return ok({
      volunteer: volunteer ? profileView(volunteer) : null,
      summary: summaryFromBalance(balance),
      claims: claims.map(({ claim, post }) => myClaimView(claim, post, open.get(claim._id))),
      services: services.map(serviceView),
    });
  },

  async setHonourOptOut({ optOut }, ctx) {
    const saved = await setHonourOptOut(ctx.db, ctx.openid, optOut);
    if (!saved) return fail('NOT_VOLUNTEER', '请先登记成为志愿者');
    return ok(profileView(saved));
  },

  async volunteers({ status, page }, ctx) {
    const { items, hasMore } = await volunteersPage(ctx.db, status, page);
    return ok({ volunteers: items.map(listingView), hasMore });
  },

  async approve({ openid, approve }, ctx) {
    const saved = await decideRegistration(ctx.db, openid, approve, ctx.openid);
    if (!saved) return fail('NOT_VOLUNTEER', '找不到这位志愿者的登记');
    return ok(listingView(saved));
  },
} satisfies HandlerGroup<typeof volunteerContract>;
