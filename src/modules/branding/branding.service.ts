import { createHash } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { MailBrand } from './domain/mail-brand.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { brandingRepository as repo } from './branding.repository.js';
import {
  BUTTON_TEXT,
  contrastRatio,
  darkenToContrast,
  MIN_CONTRAST,
  normalHex,
  shownRatio,
} from './domain/contrast.js';
import { readImageHeader, type LogoType } from './domain/image-header.js';
import { logoPath } from '../../shared/logo-path.js';

/** R39 limits. */
export const LOGO_MAX_BYTES = 200 * 1024;
/** A logo is shown at most a few hundred pixels wide; anything past this is a photo, not a logo. */
export const LOGO_MAX_SIDE = 4096;
export const CONTACT_LINE_MAX = 120;

export interface BrandingView {
  accentColor: string | null;
  contactLine: string | null;
  logo: { url: string; type: LogoType; width: number; height: number } | null;
  /** R41: a link payment is confirmed by email (on by default) */
  confirmationEmail: boolean;
}

export interface BrandingChanges {
  accentColor?: string | null | undefined;
  contactLine?: string | null | undefined;
  confirmationEmail?: boolean | undefined;
}

/** One line of plain text: no control characters, no line breaks; blank means none. */
function contactLineOf(value: string | null): string | null {
  if (value === null) return null;
  const line = value.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(line))
    throw new DomainError('validation_failed', 'The contact line must be plain text on one line', {
      field: 'contactLine',
    });
  if (line.length > CONTACT_LINE_MAX)
    throw new DomainError('validation_failed', `The contact line may be at most ${CONTACT_LINE_MAX} characters`, {
      field: 'contactLine',
      max: CONTACT_LINE_MAX,
    });
  return line;
}

/** A colour white button text is readable on, or a refusal that says the ratio and suggests one that is. */
function accentOf(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const hex = normalHex(value);
  if (!hex)
    throw new DomainError('validation_failed', 'The accent colour must be a hex colour like #1d4ed8', {
      field: 'accentColor',
    });
  const ratio = contrastRatio(hex, BUTTON_TEXT);
  if (ratio < MIN_CONTRAST) {
    const suggestion = darkenToContrast(hex);
    throw new DomainError(
      'validation_failed',
      `White text on ${hex} has a contrast of ${shownRatio(ratio).toFixed(2)}:1; at least ${MIN_CONTRAST}:1 is needed (WCAG 2.1 AA). ${suggestion} would do.`,
      { field: 'accentColor', reason: 'low_contrast', ratio: shownRatio(ratio), minimum: MIN_CONTRAST, suggestion },
    );
  }
  return hex;
}

const LOGO_REFUSALS = {
  svg: 'SVG is not accepted: upload the logo as PNG, JPEG or WebP',
  not_an_image: 'The file is not a PNG, JPEG or WebP image',
  unreadable: 'The image could not be read: the file is damaged, incomplete or has something else inside',
} as const;

/** R39: a company's logo, accent colour and contact line, as its link page, the bank page and the link email show them. */
export class BrandingService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async view(companyId: string): Promise<BrandingView> {
    const row = await repo.find(this.deps.db, companyId);
    return {
      accentColor: row?.accent_color ?? null,
      contactLine: row?.contact_line ?? null,
      logo:
        row?.logo_sha256 && row.logo_type
          ? {
              url: logoPath(row.logo_sha256, row.logo_type),
              type: row.logo_type,
              width: row.logo_width ?? 0,
              height: row.logo_height ?? 0,
            }
          : null,
      confirmationEmail: row?.confirmation_email ?? true,
    };
  }

  async update(companyId: string, actor: Actor, changes: BrandingChanges): Promise<BrandingView> {
    const set: { accent_color?: string | null; contact_line?: string | null; confirmation_email?: boolean } = {};
    if (changes.confirmationEmail !== undefined) set.confirmation_email = changes.confirmationEmail;
    if (changes.accentColor !== undefined) set.accent_color = accentOf(changes.accentColor);
    if (changes.contactLine !== undefined) set.contact_line = contactLineOf(changes.contactLine);
    if (Object.keys(set).length > 0) {
      const now = this.deps.clock.now();
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.upsert(tx, companyId, set, now);
        await recordAudit(tx, {
          companyId,
          at: now,
          actor,
          action: 'settings.branding_changed',
          entityType: 'company_branding',
          entityId: companyId,
          details: { changed: Object.keys(changes).filter((k) => changes[k as keyof BrandingChanges] !== undefined) },
        });
      });
    }
    return this.view(companyId);
  }

  /** Checks the bytes for what they are (never what they are called), then keeps them. */
  async setLogo(companyId: string, actor: Actor, bytes: Buffer): Promise<BrandingView> {
    if (bytes.length > LOGO_MAX_BYTES)
      throw new DomainError('payload_too_large', `The logo may be at most ${LOGO_MAX_BYTES / 1024} KB`, {
        field: 'logo',
        maxBytes: LOGO_MAX_BYTES,
      });
    if (bytes.length === 0) throw new DomainError('validation_failed', 'The logo is empty', { field: 'logo' });
    const header = readImageHeader(bytes);
    if (typeof header === 'string')
      throw new DomainError('validation_failed', LOGO_REFUSALS[header], { field: 'logo', reason: header });
    if (header.width > LOGO_MAX_SIDE || header.height > LOGO_MAX_SIDE)
      throw new DomainError(
        'validation_failed',
        `The logo is ${header.width}×${header.height} pixels; at most ${LOGO_MAX_SIDE} on each side`,
        { field: 'logo', reason: 'too_many_pixels', maxSide: LOGO_MAX_SIDE },
      );
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.upsert(
        tx,
        companyId,
        {
          logo: bytes,
          logo_type: header.type,
          logo_sha256: sha256,
          logo_width: header.width,
          logo_height: header.height,
        },
        now,
      );
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'settings.branding_logo_set',
        entityType: 'company_branding',
        entityId: companyId,
        details: { type: header.type, bytes: bytes.length, width: header.width, height: header.height },
      });
    });
    return this.view(companyId);
  }

  async removeLogo(companyId: string, actor: Actor): Promise<BrandingView> {
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (tx) => {
      const had = await repo.find(tx, companyId);
      if (!had?.logo_sha256) return;
      await repo.upsert(
        tx,
        companyId,
        { logo: null, logo_type: null, logo_sha256: null, logo_width: null, logo_height: null },
        now,
      );
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'settings.branding_logo_removed',
        entityType: 'company_branding',
        entityId: companyId,
      });
    });
    return this.view(companyId);
  }

  /** The public logo route: bytes and type by hash, nothing else about the company. */
  async logo(sha256: string): Promise<{ bytes: Buffer; type: LogoType } | undefined> {
    const row = await repo.logoByHash(this.deps.db, sha256);
    return row?.logo && row.logo_type ? { bytes: row.logo, type: row.logo_type } : undefined;
  }
}

/** R39: the branding an email of the company carries; `publicOrigin` makes the logo's URL absolute. */
export async function findMailBrand(db: Executor, companyId: string, publicOrigin: string): Promise<MailBrand> {
  const row = await repo.find(db, companyId);
  return {
    logoUrl: row?.logo_sha256 && row.logo_type ? `${publicOrigin}${logoPath(row.logo_sha256, row.logo_type)}` : null,
    logoWidth: row?.logo_width ?? 0,
    logoHeight: row?.logo_height ?? 0,
    accentColor: row?.accent_color ?? null,
    contactLine: row?.contact_line ?? null,
  };
}
