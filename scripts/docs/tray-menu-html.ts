/**
 * Renders the tray's menu template (the plain data `buildTrayTemplate` returns, which the app
 * hands to Electron's `Menu.buildFromTemplate`) as a simple HTML menu, so the documentation can
 * show the real menu without an Electron binary. Only the drawing is ours; every label, check
 * mark, separator and disabled item comes from the template.
 */
import type { TrayMenuItem } from '../../src-main/electron/tray-template.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function itemHtml(item: TrayMenuItem): string {
  if (item.type === 'separator') return '<li class="separator" role="separator"></li>';
  const mark =
    item.type === 'radio'
      ? `<span class="mark">${item.checked === true ? '●' : ''}</span>`
      : '<span class="mark"></span>';
  const disabled = item.enabled === false ? ' disabled' : '';
  return `<li class="item${disabled}" role="menuitem">${mark}<span>${escapeHtml(item.label ?? '')}</span></li>`;
}

const STYLE = `
  body { margin: 0; padding: 16px; display: inline-block; background: #dfe3ea; font: 14px/1.2 system-ui, "DejaVu Sans", sans-serif; }
  .menu { display: inline-block; list-style: none; margin: 0; padding: 6px 0; background: #fbfbfc; color: #1d2127;
          border: 1px solid #b9c0cb; border-radius: 8px; box-shadow: 0 8px 24px rgba(20, 30, 50, .22); min-width: 320px; }
  .item { display: flex; gap: 8px; align-items: center; padding: 7px 18px 7px 10px; white-space: nowrap; }
  .item.disabled { color: #8a929e; font-style: italic; }
  .mark { width: 14px; text-align: center; font-size: 11px; }
  .separator { height: 1px; margin: 5px 0; background: #d7dbe2; }
`;

/** A standalone HTML page showing the menu. */
export function trayMenuHtml(items: readonly TrayMenuItem[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${STYLE}</style></head>
<body><ul class="menu" role="menu">${items.map(itemHtml).join('')}</ul></body></html>`;
}
