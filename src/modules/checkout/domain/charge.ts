/**
 * R9: what pressing Pay charges, computed at that moment: the amount due, capped by the link's
 * fixed amount minus what the link already collected. Never negative.
 */
export function amountToCharge(input: { due: number; linkAmount: number | null; collected: number }): number {
  const cap = input.linkAmount === null ? input.due : Math.min(input.due, input.linkAmount - input.collected);
  return Math.max(0, cap);
}

/**
 * R12: a link is done when it collected its fixed amount or, without one, when nothing is due.
 */
export function linkIsSettled(input: { due: number; linkAmount: number | null; collected: number }): boolean {
  return input.linkAmount === null ? input.due <= 0 : input.collected >= input.linkAmount || input.due <= 0;
}
