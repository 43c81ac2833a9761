import { API_BASE, allPages, query, request } from './client';
import type {
  Appointment,
  AppointmentStatus,
  AppointmentView,
  AuditEntry,
  BackupStatus,
  CashlessSettings,
  TipSettings,
  Client,
  CompanyUser,
  Invitation,
  InvitationPreview,
  InvitationSent,
  DeskPaymentMethod,
  Item,
  Me,
  Page,
  Payment,
  PaymentLink,
  RefundRequested,
  SentLink,
  ServerInfo,
  Product,
  ProductKind,
  ProviderName,
  ReminderSettings,
  Right,
  Role,
  Service,
  StaffMember,
  TransactionsReport,
  User,
  VatCode,
  WebhookDelivery,
  WebhookEndpoint,
  OutgoingEventType,
  MessageChannel,
  MessageKind,
  MessageLocale,
  MessagePreview,
  MessageTemplate,
  MessageTemplates,
} from './types';

/** Which message template (R37): channel, kind and language. */
export interface MessageKey {
  channel: MessageChannel;
  kind: MessageKind;
  locale: MessageLocale;
}

export const auth = {
  login: (email: string, password: string) =>
    request<{ token: string; expiresAt: string; user: User }>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  /** S3: every session of the account ends, this one too */
  logoutEverywhere: () => request<void>('POST', '/auth/logout-all'),
  me: () => request<Me>('GET', '/me', undefined, { quiet401: true }),
  rename: (name: string) => request<User>('PATCH', '/me', { name }),
  /** S3: the other sessions of the account end */
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/me/password', { currentPassword, newPassword }),
};

/** O7: about this installation, for signed-in users */
export const serverInfo = () => request<ServerInfo>('GET', '/server-info');

/** The accept page's calls: the link's token is the credential (S1). */
export const invitationLinks = {
  lookup: (token: string) => request<InvitationPreview>('POST', '/invitations/lookup', { token }, { quiet401: true }),
  accept: (token: string, input: { name?: string; password: string }) =>
    request<{ token: string; expiresAt: string; user: User }>(
      'POST',
      '/invitations/accept',
      { token, ...input },
      { quiet401: true },
    ),
};

export interface NewAppointment {
  clientId: string;
  staffId: string;
  startsAt: string;
  durationMinutes: number;
  services: { serviceId: string; price?: number }[];
  comment?: string;
}

export interface AppointmentChanges {
  startsAt?: string;
  durationMinutes?: number;
  staffId?: string;
  status?: AppointmentStatus;
  comment?: string | null;
}

export type NewItem = { serviceId: string; price?: number } | { productId: string; quantity: number };
type ItemResult = { item: Item; appointment: Appointment };

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  appointmentId?: string;
  clientId?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

/** Every company-scoped call, bound to one company. */
export function companyApi(companyId: string) {
  const base = `/companies/${encodeURIComponent(companyId)}`;
  const appt = (id: string) => `${base}/appointments/${encodeURIComponent(id)}`;
  const messagePath = (key: MessageKey) => `${base}/settings/messages/${key.channel}/${key.kind}/${key.locale}`;
  return {
    /** R29: the SSE stream of every appointment's changes (the calendar, the "client paid" notice) */
    eventsUrl: `${API_BASE}${base}/events`,
    appointments: {
      list: (from: string, to: string) =>
        allPages((cursor) =>
          request<Page<Appointment>>('GET', `${base}/appointments${query({ from, to, limit: 200, cursor })}`),
        ),
      get: (id: string) => request<AppointmentView>('GET', appt(id)),
      create: (input: NewAppointment) => request<Appointment>('POST', `${base}/appointments`, input),
      update: (id: string, changes: AppointmentChanges) => request<Appointment>('PATCH', appt(id), changes),
      remove: (id: string) => request<void>('DELETE', appt(id)),
      addItem: (id: string, item: NewItem) => request<ItemResult>('POST', `${appt(id)}/items`, item),
      changeItem: (id: string, itemId: string, changes: { price?: number; quantity?: number }) =>
        request<ItemResult>('PATCH', `${appt(id)}/items/${encodeURIComponent(itemId)}`, changes),
      removeItem: (id: string, itemId: string) =>
        request<ItemResult>('DELETE', `${appt(id)}/items/${encodeURIComponent(itemId)}`),
      pay: (id: string, input: { method: DeskPaymentMethod; amount: number }, idempotencyKey: string) =>
        request<Payment>('POST', `${appt(id)}/payments`, input, { headers: { 'idempotency-key': idempotencyKey } }),
      voidPayment: (id: string, paymentId: string) =>
        request<Payment>('DELETE', `${appt(id)}/payments/${encodeURIComponent(paymentId)}`),
      /** R31: gives back part or all of an online payment through its provider; one key per submission */
      refund: (id: string, paymentId: string, input: { amount: number; reason: string }, idempotencyKey: string) =>
        request<RefundRequested>('POST', `${appt(id)}/payments/${encodeURIComponent(paymentId)}/refunds`, input, {
          headers: { 'idempotency-key': idempotencyKey },
        }),
      /** the SSE stream of "changed" events (R29); EventSource sends the session cookie */
      eventsUrl: (id: string) => `${API_BASE}${appt(id)}/events`,
    },
    links: {
      copy: (id: string, amount?: number) =>
        request<PaymentLink>('POST', `${appt(id)}/payment-link`, amount === undefined ? {} : { amount }),
      get: (id: string) => request<PaymentLink>('GET', `${appt(id)}/payment-link`),
      disable: (id: string) => request<PaymentLink>('DELETE', `${appt(id)}/payment-link`),
      cancelAttempt: (id: string) => request<PaymentLink>('POST', `${appt(id)}/payment-link/cancel-attempt`, {}),
      /** `preview` answers the message without sending it */
      send: (id: string, channel: 'email' | 'sms' | 'whatsapp', input: { to?: string; preview?: boolean }) =>
        request<SentLink>('POST', `${appt(id)}/payment-link/send`, { channel, ...input }),
      /** R35: cancels the reminders planned for the appointment's link */
      stopReminders: (id: string) =>
        request<{ stopped: number }>('POST', `${appt(id)}/payment-link/reminders/stop`, {}),
      qrUrl: (id: string, version: string) =>
        `${API_BASE}${appt(id)}/payment-link/qr.svg?v=${encodeURIComponent(version)}`,
    },
    services: {
      list: () =>
        allPages((cursor) => request<Page<Service>>('GET', `${base}/services${query({ limit: 200, cursor })}`)),
      create: (input: { title: string; priceMin: number; priceMax: number; taxSystem?: string; vat?: VatCode }) =>
        request<Service>('POST', `${base}/services`, input),
      update: (
        id: string,
        input: Partial<{ title: string; priceMin: number; priceMax: number; taxSystem: string; vat: VatCode }>,
      ) => request<Service>('PATCH', `${base}/services/${encodeURIComponent(id)}`, input),
    },
    products: {
      search: (q: string, cursor?: string) =>
        request<Page<Product>>('GET', `${base}/products${query({ q, limit: 50, cursor })}`),
      create: (input: {
        title: string;
        sku: string;
        barcode?: string | null;
        kind: ProductKind;
        price: number;
        taxSystem?: string;
        vat?: VatCode;
      }) => request<Product>('POST', `${base}/products`, input),
      update: (
        id: string,
        input: Partial<{
          title: string;
          sku: string;
          barcode: string | null;
          kind: ProductKind;
          price: number;
          taxSystem: string;
          vat: VatCode;
        }>,
      ) => request<Product>('PATCH', `${base}/products/${encodeURIComponent(id)}`, input),
    },
    clients: {
      search: (q: string, cursor?: string, limit = 50) =>
        request<Page<Client>>('GET', `${base}/clients${query({ q, limit, cursor })}`),
      get: (id: string, signal?: AbortSignal) =>
        request<Client>('GET', `${base}/clients/${encodeURIComponent(id)}`, undefined, signal ? { signal } : {}),
      create: (input: { name: string; phone?: string | null; email?: string | null }) =>
        request<Client>('POST', `${base}/clients`, input),
      update: (id: string, input: { name?: string; phone?: string | null; email?: string | null }) =>
        request<Client>('PATCH', `${base}/clients/${encodeURIComponent(id)}`, input),
    },
    staff: {
      list: () =>
        allPages((cursor) => request<Page<StaffMember>>('GET', `${base}/staff${query({ limit: 200, cursor })}`)),
      create: (name: string) => request<StaffMember>('POST', `${base}/staff`, { name }),
      rename: (id: string, name: string) =>
        request<StaffMember>('PATCH', `${base}/staff/${encodeURIComponent(id)}`, { name }),
    },
    webhooks: {
      list: () => request<{ items: WebhookEndpoint[] }>('GET', `${base}/webhook-endpoints`).then((r) => r.items),
      /** the answer holds the signing secret, this once */
      create: (input: { url: string; events: OutgoingEventType[]; description?: string }) =>
        request<WebhookEndpoint & { secret: string }>('POST', `${base}/webhook-endpoints`, input),
      disable: (id: string) => request<void>('DELETE', `${base}/webhook-endpoints/${encodeURIComponent(id)}`),
      ping: (id: string) =>
        request<{ eventId: string }>('POST', `${base}/webhook-endpoints/${encodeURIComponent(id)}/ping`, {}),
      redeliver: (id: string, eventId: string) =>
        request<{ status: 'pending' }>(
          'POST',
          `${base}/webhook-endpoints/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(eventId)}/redeliver`,
          {},
        ),
      deliveries: (id: string) =>
        request<{ items: WebhookDelivery[] }>(
          'GET',
          `${base}/webhook-endpoints/${encodeURIComponent(id)}/deliveries`,
        ).then((r) => r.items),
    },
    messages: {
      list: () => request<MessageTemplates>('GET', `${base}/settings/messages`),
      save: (key: MessageKey, input: { subject?: string; text: string }) =>
        request<MessageTemplate>('PUT', messagePath(key), input),
      reset: (key: MessageKey) => request<MessageTemplate>('DELETE', messagePath(key)),
      preview: (key: MessageKey, input: { appointmentId: string; subject?: string; text?: string }) =>
        request<MessagePreview>('POST', `${base}/settings/messages/preview`, { ...key, ...input }),
    },
    users: {
      list: () =>
        allPages((cursor) => request<Page<CompanyUser>>('GET', `${base}/users${query({ limit: 200, cursor })}`)),
      invite: (input: { email: string; name?: string; role: Role; rights?: Right[] }) =>
        request<InvitationSent>('POST', `${base}/users`, input),
      update: (id: string, input: { role?: Role; rights?: Right[] }) =>
        request<CompanyUser>('PATCH', `${base}/users/${encodeURIComponent(id)}`, input),
      remove: (id: string) => request<void>('DELETE', `${base}/users/${encodeURIComponent(id)}`),
    },
    invitations: {
      list: () => request<{ items: Invitation[] }>('GET', `${base}/invitations`).then((r) => r.items),
      resend: (id: string) =>
        request<InvitationSent>('POST', `${base}/invitations/${encodeURIComponent(id)}/resend`, {}),
      revoke: (id: string) => request<void>('DELETE', `${base}/invitations/${encodeURIComponent(id)}`),
    },
    backups: {
      latest: () => request<BackupStatus>('GET', `${base}/backups/latest`),
    },
    cashless: {
      get: () => request<CashlessSettings>('GET', `${base}/settings/cashless`),
      update: (input: {
        payByLinkEnabled?: boolean;
        fiscalization?: { enabled?: boolean; taxSystem?: string; delivery?: 'email' | 'phone' | 'any' };
      }) => request<CashlessSettings>('PUT', `${base}/settings/cashless`, input),
      connect: (provider: ProviderName, credentials: Record<string, string>) =>
        request<CashlessSettings>('POST', `${base}/settings/cashless/connect`, { provider, credentials }),
      disconnect: () => request<CashlessSettings>('DELETE', `${base}/settings/cashless/connection`),
    },
    tips: {
      get: () => request<TipSettings>('GET', `${base}/settings/tips`),
      update: (input: { enabled?: boolean; presets?: number[] }) =>
        request<TipSettings>('PUT', `${base}/settings/tips`, input),
    },
    reminders: {
      get: () => request<ReminderSettings>('GET', `${base}/settings/reminders`),
      update: (input: Partial<ReminderSettings>) =>
        request<ReminderSettings>('PUT', `${base}/settings/reminders`, input),
    },
    reports: {
      transactions: (from: string, to: string, cursor?: string) =>
        request<TransactionsReport>('GET', `${base}/reports/transactions${query({ from, to, cursor, limit: 200 })}`),
      /** `comma`: `;` between fields and `12,50`, as Excel reads CSV where the decimal mark is a comma */
      csvUrl: (from: string, to: string, decimal: 'point' | 'comma') =>
        `${API_BASE}${base}/reports/transactions${query({ from, to, format: 'csv', decimal })}`,
    },
    audit: {
      list: (filter: AuditFilter) =>
        request<Page<AuditEntry>>('GET', `${base}/audit${query({ ...filter, limit: 50 })}`),
    },
  };
}

export type CompanyApi = ReturnType<typeof companyApi>;
