/**
 * The door of `cashless`: A company's pay-by-link settings: the connected provider, its credentials and fiscalization (R1, R24).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { parseFiscalization } from './domain/fiscalization.js';
export type { Fiscalization } from './domain/fiscalization.js';
export { CashlessSettingsService } from './cashless-settings.service.js';
export type { ConnectedProvider } from './cashless-settings.service.js';
