import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../db/database.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import type { Clock } from '../../shared/clock.js';
import { formatMoney, multiply } from '../../shared/money.js';
import { parseFiscalization } from '../cashless/domain/fiscalization.js';
import { amountToCharge } from '../checkout/domain/charge.js';
import { linkAvailability } from '../checkout/domain/link-availability.js';
import { needsContact } from '../links/domain/contact.js';
import { hashLinkToken, isWellFormedToken } from '../links/domain/link-token.js';
import { LIVE_CHANNEL } from '../../live/index.js';
import type { LinkPageState, LinkPageView, Locale, PageBrand } from './link-page-view.js';
import { logoPath } from '../branding/index.js';
import type { Unavailable } from '../checkout/index.js';
import { tipsOffered, tipSettingsOf } from '../tips/index.js';
import { linkPageTips, type TipFormInput } from './link-page-tips.js';

/** The state of a link for the client, in numbers; the page and the JSON endpoint both derive from it. */
export interface LinkState {
  linkId: string;
  state: LinkPageState;
  unavailableReason?: Unavailable;
  companyName: string;
  /** R39 */
  brand: PageBrand;
  currency: string;
  timezone: string;
  appointmentStartsAt: Date;
  staffName: string;
  clientFirstName: string;
  items: { title: string; quantity: number; total: number }[];
  total: number;
  paid: number;
  /** what pressing Pay charges now (R9), or the amount of the checkout in progress */
  amountNow: number;
  attempt?: { status: string; expiresAt: Date };
  needsContact: boolean;
  /** R41: the page offers an optional email for the confirmation */
  askEmail: boolean;
  openedAt: Date | null;
  /** a link for a fixed amount: that amount, and what of the visit is left to pay elsewhere once this link is paid */
  fixed?: { amount: number; remaining: number };
  /** R40: the tip presets (whole percentages of amountNow) when the company offers tips */
  tipPresets?: number[];
}

interface Row {
  id: string;
  status: string;
  amount: string | null;
  opened_at: Date | null;
  company_name: string;
  currency: string;
  timezone: string;
  starts_at: Date;
  appointment_status: string;
  deleted: boolean;
  client_name: string;
  has_contact: boolean;
  ask_email: boolean;
  staff_name: string;
  items: { title: string; quantity: number; unitPrice: number }[] | null;
  paid: string;
  collected: string;
  attempt: { status: string; amount: number; expiresAt: string } | null;
  provider: string | null;
  pay_by_link_enabled: boolean | null;
  fiscalization: unknown;
  tips_enabled: boolean | null;
  tip_presets: number[] | null;
  accent_color: string | null;
  contact_line: string | null;
  logo_sha256: string | null;
  logo_type: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  logo_width: number | null;
  logo_height: number | null;
}

/** Everything the page shows, in one round trip (the page is opened far more often than paid). */
export const LINK_PAGE_STATE_SQL = `
      SELECT l.id, l.status, l.amount, l.opened_at,
        c.name AS company_name, c.currency, c.timezone,
        a.starts_at, a.status AS appointment_status, a.deleted_at IS NOT NULL AS deleted,
        cl.name AS client_name, (cl.email IS NOT NULL OR cl.phone IS NOT NULL) AS has_contact,
        (cl.email IS NULL AND COALESCE(b.confirmation_email, true)) AS ask_email,
        s.name AS staff_name,
        (SELECT json_agg(json_build_object('title', i.title, 'quantity', i.quantity, 'unitPrice', i.unit_price) ORDER BY i.created_at, i.id)
           FROM appointment_items i WHERE i.appointment_id = a.id) AS items,
        pm.paid, pm.collected,
        (SELECT json_build_object('status', t.status, 'amount', t.amount - t.tip, 'expiresAt', t.expires_at)
           FROM checkout_attempts t WHERE t.link_id = l.id AND t.status IN ('creating', 'pending')
           ORDER BY t.created_at DESC LIMIT 1) AS attempt,
        cs.provider, cs.pay_by_link_enabled, cs.fiscalization,
        ts.enabled AS tips_enabled, ts.presets AS tip_presets,
        b.accent_color, b.contact_line, b.logo_sha256, b.logo_type, b.logo_width, b.logo_height
      FROM payment_links l
      JOIN companies c ON c.id = l.company_id
      JOIN appointments a ON a.id = l.appointment_id
      JOIN clients cl ON cl.id = a.client_id
      JOIN staff s ON s.id = a.staff_id
      LEFT JOIN cashless_settings cs ON cs.company_id = l.company_id
      LEFT JOIN tip_settings ts ON ts.company_id = l.company_id
      LEFT JOIN company_branding b ON b.company_id = l.company_id
      -- what the appointment was paid and what of it came through this link: one pass over its payments
      CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(p.amount), 0) AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = l.id), 0) AS collected
          FROM payments p WHERE p.appointment_id = a.id AND p.voided_at IS NULL) pm
      WHERE l.token_hash = $1`;

/** Reads a link's public state. GET is safe (R7): reading never creates an attempt nor takes the lock. */
export class LinkPageService {
  constructor(
    private readonly deps: {
      db: Db;
      pool: pg.Pool;
      clock: Clock;
      providers: Pick<ProviderRegistry, 'offered'>;
      /** R41: confirmation emails can be sent (SMTP_URL set) */
      confirmations?: boolean;
    },
  ) {}

  async state(token: string): Promise<LinkState | undefined> {
    if (!isWellFormedToken(token)) return undefined;
    // A named statement is parsed and planned once per connection: the page is the hottest read there is.
    const { rows } = await this.deps.pool.query<Row>({
      name: 'visitpay_link_page_state',
      text: LINK_PAGE_STATE_SQL,
      values: [hashLinkToken(token)],
    });
    const row = rows[0];
    return row ? this.toState(row) : undefined;
  }

  private toState(row: Row): LinkState {
    const now = this.deps.clock.now();
    const items = (row.items ?? []).map((i) => ({
      title: i.title,
      quantity: i.quantity,
      total: multiply(Number(i.unitPrice), i.quantity),
    }));
    const total = items.reduce((s, i) => s + i.total, 0);
    const paid = Number(row.paid);
    const collected = Number(row.collected);
    const linkAmount = row.amount === null ? null : Number(row.amount);
    const availability = linkAvailability({
      link: { status: row.status, amount: linkAmount, collected },
      appointment: { cancelled: row.appointment_status === 'cancelled', deleted: row.deleted, due: total - paid },
      payByLink: !!row.provider && !!row.pay_by_link_enabled && this.deps.providers.offered(row.provider),
    });
    const attempt =
      row.attempt && new Date(row.attempt.expiresAt).getTime() > now.getTime()
        ? { status: row.attempt.status, expiresAt: new Date(row.attempt.expiresAt), amount: row.attempt.amount }
        : undefined;
    const base = {
      linkId: row.id,
      companyName: row.company_name,
      brand: brandOf(row),
      currency: row.currency,
      timezone: row.timezone,
      appointmentStartsAt: row.starts_at,
      staffName: row.staff_name,
      clientFirstName: row.client_name.trim().split(/\s+/)[0] ?? '',
      items,
      total,
      paid,
      amountNow: attempt ? attempt.amount : amountToCharge({ due: total - paid, linkAmount, collected }),
      needsContact: needsContact({
        fiscalization: parseFiscalization(row.fiscalization).enabled,
        email: row.has_contact ? 'x' : null,
        phone: null,
      }),
      // R41: only where a confirmation can go out at all (SMTP_URL set)
      askEmail: this.deps.confirmations === true && row.ask_email,
      openedAt: row.opened_at,
    };
    const fixed = (remaining: number) =>
      linkAmount === null ? {} : { fixed: { amount: linkAmount, remaining: Math.max(0, remaining) } };
    if (availability.kind === 'paid') return { ...base, ...fixed(total - paid), state: 'paid' };
    if (availability.kind === 'unavailable')
      return { ...base, state: 'unavailable', unavailableReason: availability.reason };
    const afterThis = fixed(total - paid - base.amountNow);
    if (attempt?.status === 'pending')
      return {
        ...base,
        ...afterThis,
        state: 'paying',
        attempt: { status: attempt.status, expiresAt: attempt.expiresAt },
      };
    const fiscalization = parseFiscalization(row.fiscalization).enabled;
    const tips = tipSettingsOf(
      row.tips_enabled === null ? undefined : { enabled: row.tips_enabled, presets: row.tip_presets ?? [] },
    );
    return {
      ...base,
      ...afterThis,
      state: 'payable',
      ...(tipsOffered(tips, fiscalization) ? { tipPresets: tips.presets } : {}),
    };
  }

  /**
   * R41: what the client just paid through this link (its newest payment), for the return page to
   * confirm. Read on the return page only, never on the link page's hot path.
   */
  async paidThroughLink(linkId: string): Promise<{ amount: number; tip: number } | undefined> {
    const row = await this.deps.db
      .selectFrom('payments as p')
      // R40: what the client was charged is the payment and its tip
      .leftJoin('tips as t', 't.payment_id', 'p.id')
      .select(['p.amount', 't.amount as tip'])
      .where('p.link_id', '=', linkId)
      .where('p.amount', '>', 0)
      .where('p.refund_of', 'is', null)
      .orderBy('p.paid_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const tip = row.tip === null ? 0 : Number(row.tip);
    return { amount: Number(row.amount) + tip, tip };
  }

  /**
   * Remembers the first time a person (not a messenger's preview bot) opened the link, and tells
   * the staff watching the appointment (R29); one statement, and a notification only the first time.
   */
  async markOpened(linkId: string): Promise<void> {
    await sql`
      WITH opened AS (
        UPDATE payment_links SET opened_at = ${this.deps.clock.now()} WHERE id = ${linkId} AND opened_at IS NULL
        RETURNING company_id, appointment_id)
      SELECT pg_notify(${LIVE_CHANNEL}, json_build_object('companyId', company_id, 'appointmentId', appointment_id, 'reason', 'link.opened')::text)
      FROM opened`.execute(this.deps.db);
  }
}

const DATE_TIME_OPTIONS = {
  dateTime: { weekday: 'short', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs more than the rest of the page; there are few locale × zone pairs. */
function dateTimeFormat(locale: string, timeZone: string, kind: keyof typeof DATE_TIME_OPTIONS): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${kind}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...DATE_TIME_OPTIONS[kind], timeZone });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** The page's view model: everything formatted for the client's language and the company's zone. */
export function toPageView(
  state: LinkState,
  token: string,
  locale: Locale,
  extra: {
    error?: string;
    contact?: string;
    email?: string;
    paidNow?: { amount: number; tip: number };
    tip?: TipFormInput;
  } = {},
): LinkPageView {
  const intlLocale = locale === 'ru' ? 'ru-RU' : 'en-GB';
  const fmt = (amount: number) => formatMoney(amount, state.currency, intlLocale);
  const dateTime = dateTimeFormat(intlLocale, state.timezone, 'dateTime');
  const time = dateTimeFormat(intlLocale, state.timezone, 'time');
  return {
    state: state.state,
    payPath: `/pay/${token}`,
    companyName: state.companyName,
    brand: state.brand,
    appointmentDateTime: dateTime.format(state.appointmentStartsAt),
    staffName: state.staffName,
    clientFirstName: state.clientFirstName,
    items: state.items.map((i) => ({ title: i.title, quantity: i.quantity, total: fmt(i.total) })),
    total: fmt(state.total),
    alreadyPaid: fmt(state.paid),
    amountNow: fmt(state.amountNow),
    ...(extra.paidNow !== undefined ? { paidNow: fmt(extra.paidNow.amount) } : {}),
    ...(extra.paidNow?.tip ? { paidTip: fmt(extra.paidNow.tip) } : {}),
    ...(state.attempt ? { attemptExpiresAt: time.format(state.attempt.expiresAt) } : {}),
    needsContact: state.needsContact && state.state === 'payable',
    ...(state.askEmail && state.state === 'payable' ? { askEmail: true } : {}),
    ...(state.unavailableReason ? { unavailableReason: state.unavailableReason } : {}),
    ...(state.fixed
      ? {
          fixed: {
            amount: fmt(state.fixed.amount),
            remaining: state.fixed.remaining > 0 ? fmt(state.fixed.remaining) : null,
          },
        }
      : {}),
    ...(extra.error ? { error: extra.error } : {}),
    ...(extra.contact ? { contact: extra.contact } : {}),
    ...(extra.email ? { email: extra.email } : {}),
    ...(state.tipPresets && state.state === 'payable'
      ? { tips: linkPageTips(state.staffName, state.tipPresets, state.amountNow, fmt, locale, extra.tip) }
      : {}),
  };
}

function brandOf(row: Row): PageBrand {
  return {
    accentColor: row.accent_color,
    contactLine: row.contact_line,
    logo:
      row.logo_sha256 && row.logo_type
        ? { path: logoPath(row.logo_sha256, row.logo_type), width: row.logo_width ?? 0, height: row.logo_height ?? 0 }
        : null,
  };
}
