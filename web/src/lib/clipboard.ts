/**
 * Copies text. navigator.clipboard exists only in secure contexts (https, localhost); a salon that
 * opens Visitpay over plain http on its network gets the older selection-based copy instead.
 */
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // permission refused: fall through to the selection copy
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  // inside an open modal <dialog>, only its subtree can take focus
  (document.querySelector('dialog[open]') ?? document.body).appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/**
 * Copies text that is still being fetched. The clipboard write must start inside the click (Safari
 * drops the permission once the click's moment has passed), so a ClipboardItem is handed the
 * promise at once; browsers without that fall back to copying when the text arrives.
 */
export async function copyWhenReady(text: Promise<string>): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard?.write && typeof ClipboardItem !== 'undefined') {
    try {
      await navigator.clipboard.write([
        new ClipboardItem({ 'text/plain': text.then((t) => new Blob([t], { type: 'text/plain' })) }),
      ]);
      return true;
    } catch {
      // refused or unsupported: try the other ways below
    }
  }
  try {
    return await copyText(await text);
  } catch {
    return false;
  }
}
