/**
 * The door of `catalog`: Services and products a company sells, with their tax settings.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { PRODUCT_KINDS } from './domain/catalog-rules.js';
export { defaultTaxSystemOf, isTaxSystemOf, taxSystemsOf } from './domain/taxation.js';
export { findProduct, findProductBySku, findService } from './catalog.repository.js';
export { CatalogService } from './catalog.service.js';
