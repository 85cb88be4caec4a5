/** What the store's transfer actions load on first use (the mbox and zip writers stay out of the shell). */
export { decodeMboxFile, exportEncoders } from './formats.js';
export { storedItems } from './from-store.js';
export { importFiles } from './import-files.js';
export { runExport } from './run-export.js';
