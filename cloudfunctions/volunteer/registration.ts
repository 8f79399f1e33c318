import type { volunteerContract } from '../../src/domain/contract/volunteer';
import { initialRegistrationStatus } from '../../src/domain/volunteer/registration';
import { pageWindow, takePage } from '../../src/domain/shared/paging';
import { fail, ok } from '../../src/domain/shared/result';
import type { Handlers } from '../_shared';
import {
  type BalanceDoc,
  type ClaimDoc,
  type ServiceDoc,
  type SettingsDoc,
  type VolunteerDoc,
  VOLUNTEER_COLLECTIONS as C,
} from './docs';
import { readAll } from './ledger-store';
import {
  listingFromDoc,
  myClaimFromDocs,
  profileFromDoc,
  serviceFromDoc,
  summaryFromBalance,
} from './mappers';
import {
  SETTINGS_ID,
  VOLUNTEERS_PAGE_SIZE,
  col,
  getDoc,
  loadSettings,
  grantVolunteerRole,
  postById,
  isDuplicate,
} from './store';

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
    await col<SettingsDoc>(ctx.db, C.settings)
      .doc(SETTINGS_ID)
      .set({ data: { ...next, updatedAt: ctx.now, updatedBy: ctx.openid } });
    return ok({ ...current, ...next });
  },

  async register(input, ctx) {
    const volunteers = col<VolunteerDoc>(ctx.db, C.volunteers);
    const existing = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
    if (existing?.status === 'rejected') {
      return fail('REGISTRATION_REJECTED', '您的志愿者登记未通过审核，如有疑问请联系社区书记');
    }
    const fields = {
      name: input.name,
      phone: input.phone,
      workUnit: input.workUnit,
      partyMember: input.partyMember,
      ...(input.partySince ? { partySince: input.partySince } : {}),
      skills: input.skills,
      consentVersion: input.consentVersion,
    };
    if (existing) {
      // Correcting one's own data keeps the status; consent is renewed with the new version.
      await volunteers.doc(ctx.openid).update({
        data: {
          ...fields,
          partySince: input.partySince ?? ctx.db.command.remove(),
          consentAt: ctx.db.serverDate(),
          updatedAt: ctx.db.serverDate(),
        },
      });
    } else {
      const { requireApproval } = await loadSettings(ctx.db);
      try {
        await volunteers.add({
          data: {
            _id: ctx.openid,
            _openid: ctx.openid,
            ...fields,
            status: initialRegistrationStatus(requireApproval),
            consentAt: ctx.db.serverDate(),
            honourOptOut: false,
            createdAt: ctx.db.serverDate(),
          },
        });
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
    }
    const saved = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
    if (!saved) throw new Error('registration missing after write');
    if (saved.status === 'approved') await grantVolunteerRole(ctx.db, ctx.openid);
    return ok(profileFromDoc(saved));
  },

  async me(_input, ctx) {
    const volunteer = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
    const balance = await getDoc<BalanceDoc>(ctx.db, C.balances, ctx.openid);
    if (!volunteer)
      return ok({
        volunteer: null,
        summary: summaryFromBalance(balance),
        claims: [],
        services: [],
      });
    const claims = await readAll(
      col<ClaimDoc>(ctx.db, C.claims)
        .where({ openid: ctx.openid, status: 'claimed' })
        .orderBy('claimedAt', 'desc')
        .orderBy('_id', 'asc'),
      200,
    );
    const posts = await postById(
      ctx.db,
      claims.map((c) => c.postId),
    );
    const services = await readAll(
      col<ServiceDoc>(ctx.db, C.services)
        .where({ openid: ctx.openid })
        .orderBy('date', 'desc')
        .orderBy('_id', 'asc'),
      100,
    );
    const open = new Map(
      services.filter((s) => s.status === 'open').map((s) => [s.claimId, s._id]),
    );
    return ok({
      volunteer: profileFromDoc(volunteer),
      summary: summaryFromBalance(balance),
      claims: claims.flatMap((c) => {
        const post = posts.get(c.postId);
        return post ? [myClaimFromDocs(c, post, open.get(c._id))] : [];
      }),
      services: services.map(serviceFromDoc),
    });
  },

  async setHonourOptOut({ optOut }, ctx) {
    const r = await col<VolunteerDoc>(ctx.db, C.volunteers)
      .doc(ctx.openid)
      .update({ data: { honourOptOut: optOut, updatedAt: ctx.db.serverDate() } });
    if (r.stats.updated === 0) {
      const exists = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
      if (!exists) return fail('NOT_VOLUNTEER', '请先登记成为志愿者');
    }
    const saved = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, ctx.openid);
    if (!saved) return fail('NOT_VOLUNTEER', '请先登记成为志愿者');
    return ok(profileFromDoc(saved));
  },

  async volunteers({ status, page }, ctx) {
    const base = col<VolunteerDoc>(ctx.db, C.volunteers);
    const q = status ? base.where({ status }) : base;
    const { skip, limit } = pageWindow(page, VOLUNTEERS_PAGE_SIZE);
    const { data } = await q
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'asc')
      .skip(skip)
      .limit(limit)
      .get();
    const { items, hasMore } = takePage(data, VOLUNTEERS_PAGE_SIZE);
    return ok({ volunteers: items.map(listingFromDoc), hasMore });
  },

  async approve({ openid, approve }, ctx) {
    const status = approve ? 'approved' : 'rejected';
    const r = await col<VolunteerDoc>(ctx.db, C.volunteers)
      .doc(openid)
      .update({ data: { status, decidedBy: ctx.openid, updatedAt: ctx.db.serverDate() } });
    const saved = await getDoc<VolunteerDoc>(ctx.db, C.volunteers, openid);
    if (r.stats.updated === 0 && !saved) return fail('NOT_VOLUNTEER', '找不到这位志愿者的登记');
    if (!saved) return fail('NOT_VOLUNTEER', '找不到这位志愿者的登记');
    if (approve) await grantVolunteerRole(ctx.db, openid);
    return ok(listingFromDoc(saved));
  },
} satisfies Partial<Handlers<typeof volunteerContract>>;
