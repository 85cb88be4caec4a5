/** The one display-name sanitizer, shared with the CLI (its attachment file names): see @webpop/mailfile. */
export { displayName, MAX_DISPLAY_CHARS, withoutInvisible } from '@webpop/mailfile';
