import { badgeText } from './unread.js';

/** The icon in the page's `<link rel="icon">`, before any badge was drawn on it. */
let plainIcon: string | undefined;
let drawn = 0;

/** The App Badging API (installed apps: the dock or taskbar icon), where the browser has it. */
interface BadgingNavigator {
  setAppBadge?(count?: number): Promise<void>;
  clearAppBadge?(): Promise<void>;
}

/**
 * Shows the unread count on the app's icon (`navigator.setAppBadge`, for an installed app) and on
 * the tab's icon (the favicon redrawn on a canvas with a red badge); 0 clears both.
 */
export function showUnreadOnIcon(unread: number): void {
  const badging = navigator as BadgingNavigator;
  if (unread > 0) void badging.setAppBadge?.(unread).catch(() => undefined);
  else void badging.clearAppBadge?.().catch(() => undefined);
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) return;
  plainIcon ??= link.href;
  const turn = ++drawn;
  if (unread === 0) {
    link.href = plainIcon;
    return;
  }
  void drawBadge(plainIcon, badgeText(unread)).then((url) => {
    if (url && turn === drawn) link.href = url;
  });
}

const SIZE = 32;

async function drawBadge(icon: string, text: string): Promise<string | undefined> {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  const image = new Image();
  image.src = icon;
  try {
    await image.decode();
    context.drawImage(image, 0, 0, SIZE, SIZE);
  } catch {
    // No icon to draw on (not loaded): the badge alone still says it.
  }
  const radius = text.length > 1 ? 11 : 9;
  context.fillStyle = '#d93025';
  context.beginPath();
  context.arc(SIZE - radius, radius, radius, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = '#fff';
  context.font = `bold ${text.length > 2 ? 10 : 14}px sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(text, SIZE - radius, radius + 1);
  return canvas.toDataURL('image/png');
}
