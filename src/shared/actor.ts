export const ACTOR_TYPES = ['user', 'client', 'provider', 'system'] as const;

/** Who did something: a staff user, the client on the link page, a payment provider, or Visitpay itself. */
export type Actor =
  | { type: 'user'; id: string }
  | { type: 'client'; id?: undefined }
  | { type: 'provider'; id: string }
  | { type: 'system'; id?: undefined };

export const systemActor: Actor = { type: 'system' };
export const clientActor: Actor = { type: 'client' };
