import { useI18n } from '../i18n';
import { useServerInfo } from '../lib/server-info';

/**
 * O7: while links point at an address clients' phones cannot open (PUBLIC_URL unset, localhost)
 * or can open only on the salon's own network, staff see it on every screen, with what to do.
 */
export function LinkReachBanner() {
  const { t } = useI18n();
  const info = useServerInfo();
  if (!info || info.linkReach === 'internet') return null;
  const local = info.linkReach === 'local_network';
  return (
    <div className="reach-banner" role="status" data-testid="link-reach-banner" data-reach={info.linkReach}>
      <p>
        <strong>{t(local ? 'reach.bannerLocalNetwork' : 'reach.bannerThisComputer', { url: info.publicUrl })}</strong>
      </p>
      <p>{t(local ? 'reach.howLocalNetwork' : 'reach.howThisComputer')}</p>
    </div>
  );
}

/** O7: beside a copied or sent link, whether the client's phone can open it. */
export function LinkReachNote({ testId = 'link-reach-note' }: { testId?: string }) {
  const { t } = useI18n();
  const info = useServerInfo();
  if (!info || info.linkReach === 'internet') return null;
  const local = info.linkReach === 'local_network';
  return (
    <p className="reach-note" role="note" data-testid={testId} data-reach={info.linkReach}>
      {t(local ? 'reach.noteLocalNetwork' : 'reach.noteThisComputer', { url: info.publicUrl })}
    </p>
  );
}

/**
 * O7: beside the webhook URL a real provider is given: it calls from the internet, so an address
 * that is not on the internet never receives its notifications (the sandbox delivers locally).
 */
export function WebhookReachNote() {
  const { t } = useI18n();
  const info = useServerInfo();
  if (!info || info.linkReach === 'internet') return null;
  return (
    <p className="reach-note" role="note" data-testid="webhook-reach-note" data-reach={info.linkReach}>
      {t('reach.webhookNote')}
    </p>
  );
}
