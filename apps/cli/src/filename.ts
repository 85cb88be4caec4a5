/**
 * The file name a message with this UIDL is saved under: `<uidl>.eml`, with every character outside
 * [A-Za-z0-9._-] (and a leading dot) written as %XX of its UTF-8 bytes (see @webpop/mailfile, shared
 * with the web app's export). The mapping is one to one, so different UIDLs never share a file, and
 * no name can start with a dot, climb out of the folder or clash with the temporary files.
 */
export { emlFileName as fileNameForUid, safeFileName } from '@webpop/mailfile';
