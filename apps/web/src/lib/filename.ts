/** Safe file names for attachments and downloads, shared with the CLI's --save-attachments: see @webpop/mailfile. */
export { sanitizeFilename } from '@webpop/mailfile';
