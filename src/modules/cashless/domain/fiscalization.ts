/**
 * Online cash register settings (R24): whether each link payment carries a fiscal receipt,
 * under which taxation system, and how the receipt reaches the client.
 */
export interface Fiscalization {
  enabled: boolean;
  /** one of the company country's taxation systems; defaults to the company's */
  taxSystem?: string;
  /** where the provider sends the receipt: the client's email, phone, or whichever the client has */
  delivery: 'email' | 'phone' | 'any';
}

export const RECEIPT_DELIVERY = ['email', 'phone', 'any'] as const;

export function parseFiscalization(raw: unknown): Fiscalization {
  const value = (raw ?? {}) as Partial<Fiscalization>;
  return {
    enabled: value.enabled === true,
    ...(typeof value.taxSystem === 'string' ? { taxSystem: value.taxSystem } : {}),
    delivery: value.delivery === 'email' || value.delivery === 'phone' ? value.delivery : 'any',
  };
}
