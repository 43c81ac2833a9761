import type { AuditEntry } from '../api/types';
import { dynamicKey, hasMessage, type Translate } from '../i18n';

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Who did it, as a reader says it: a user by name, a provider by its name, the client, Visitpay. */
export function actorOf(entry: AuditEntry, t: Translate): string {
  const { actor } = entry;
  if (actor.type === 'user') return actor.name ?? t('auditSay.someone');
  if (actor.type === 'provider') return t(dynamicKey('provider', actor.id ?? 'unknown'));
  if (actor.type === 'client') return t('auditSay.theClient');
  return t('auditSay.visitpay');
}

/** An action the dictionary has no sentence for, in words: `user.rights_changed` → "user rights changed". */
export function humanised(action: string): string {
  return action.replace(/[._]+/g, ' ').trim();
}

/**
 * One audit entry as a sentence in the user's language — "Anna Weber took €20.00 in cash",
 * "Stripe refunded €10.00" — from its action, actor, amounts and details. An action it does not
 * know still reads as words, never as a crash or raw JSON.
 */
export function auditSentence(entry: AuditEntry, t: Translate, money: (minor: number) => string): string {
  const d = entry.details;
  const amount = num(d.amount) ?? num(d.collected);
  const provider = str(d.provider) ?? (entry.actor.type === 'provider' ? entry.actor.id : null) ?? 'unknown';
  const method = str(d.method);
  const vars: Record<string, string> = {
    actor: actorOf(entry, t),
    amount: amount === undefined ? '' : money(amount),
    provider: t(dynamicKey('provider', provider)),
    method: method ? t(dynamicKey('auditSay.method', method)) : '',
    title: str(d.title) ?? '',
    name: str(d.name) ?? '',
    email: str(d.email) ?? '',
    client: entry.clientName ?? '',
    channel: t(dynamicKey('auditSay.channel', str(d.channel) ?? 'unknown')),
  };
  let key = `auditSay.${entry.action}`;
  if (entry.action === 'payment.recorded' && method === 'online') key = 'auditSay.payment.recorded.online';
  if (entry.action === 'settings.changed' && entry.entityType === 'tip_settings')
    key = 'auditSay.settings.changed.tips';
  if (entry.action === 'refund.requested' && d.reason === 'overpayment') key = 'auditSay.refund.requested.overpayment';
  if (entry.action === 'item.changed') {
    const from = (d.from ?? {}) as Record<string, unknown>;
    const to = (d.to ?? {}) as Record<string, unknown>;
    const byPrice = d.kind === 'service' || num(from.quantity) === num(to.quantity);
    const field = byPrice ? 'unitPrice' : 'quantity';
    const show = (v: unknown) => (num(v) === undefined ? '—' : byPrice ? money(num(v)!) : String(v));
    key = byPrice ? 'auditSay.item.changed.price' : 'auditSay.item.changed.quantity';
    vars.from = show(from[field]);
    vars.to = show(to[field]);
  }
  const text = hasMessage(key) ? t(key, vars) : t('auditSay.fallback', { ...vars, action: humanised(entry.action) });
  return text.replace(/\s+/g, ' ').trim();
}
