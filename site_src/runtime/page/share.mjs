// Sharing this calculation: "复制链接 / Copy link" (the Clipboard API; where it is missing or refused,
// as inside some in-app browsers, the link is shown in a box with its text selected, to copy by hand)
// and "保存二维码图片 / Save QR code image" (the QR code of this calculation as a PNG file, also shown on
// the page so that a phone's browser that cannot download, such as WeChat's, can save it with a long
// press). The link is form.mjs's shareURL(): the figures only, never a name. The QR code is made here
// for the print slip too (qrFor), from the page's own copy of qrcode-generator (the build's manifest).

import { el, manifest, manifestURL, ui } from "./dom.mjs";
import { shareURL } from "./form.mjs";

const status = () => document.getElementById("share-status");

function tell(text) {
  const node = status();
  if (node) node.textContent = text;
}

// The QR code of a link, or null when the link is too long for the largest QR code.
export async function qrFor(url) {
  const { qrcode } = await import(new URL(manifest.qrcode, manifestURL).href);
  const code = qrcode(0, "M");
  code.addData(url);
  try {
    code.make(); // throws when the link is too long for the largest QR code
  } catch (error) {
    return null;
  }
  return code;
}

// ------------------------------------------------------------------ copy link

function showLinkBox(url) {
  const box = document.getElementById("share-link");
  const input = document.getElementById("share-link-text");
  input.value = url;
  box.hidden = false;
  input.focus();
  input.select();
  return input;
}

export async function copyLink() {
  const url = shareURL();
  if (!url) return tell(ui.share_too_long);
  try {
    if (!navigator.clipboard?.writeText) throw new Error("no Clipboard API");
    await navigator.clipboard.writeText(url);
    document.getElementById("share-link").hidden = true;
    tell(ui.share_copied);
  } catch (error) {
    // No clipboard here (an older browser, an in-app browser, a page not served over HTTPS): the link,
    // selected, for the resident's own "copy"; execCommand is tried once for browsers that still have it.
    const input = showLinkBox(url);
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (ignored) { /* the selection stays for the resident */ }
    input.select();
    tell(copied ? ui.share_copied : ui.share_copy_by_hand);
  }
}

// ------------------------------------------------------------------ save the QR code

const MODULE_PX = 8; // pixels per QR module in the PNG: sharp when printed or scanned from another screen
const QUIET = 4; // the quiet zone, in modules

function pngOf(code) {
  const count = code.getModuleCount();
  const size = (count + 2 * QUIET) * MODULE_PX;
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = "#000";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (code.isDark(row, col)) ctx.fillRect((col + QUIET) * MODULE_PX, (row + QUIET) * MODULE_PX, MODULE_PX, MODULE_PX);
    }
  }
  return canvas.toDataURL("image/png");
}

export async function saveQR() {
  const url = shareURL();
  const code = url && (await qrFor(url));
  const spot = document.getElementById("share-qr");
  if (!code) {
    spot.hidden = true;
    return tell(url ? ui.slip_no_qr : ui.share_too_long);
  }
  const png = pngOf(code);
  const name = `${ui.share_qr_file}.png`;
  spot.replaceChildren(el("img", { src: png, alt: ui.qr_alt, class: "share-qr-image", width: 200, height: 200 }),
    el("p", { class: "hint" }, ui.share_qr_hint));
  spot.hidden = false;
  const link = el("a", { href: png, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  tell(ui.share_qr_saved);
}
