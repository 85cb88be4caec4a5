export { htmlToText, losesFormatting, textToHtml } from './html-text.js';
export { htmlDocument, safeComposeHtml } from './compose-html.js';
