/**
 * Without the File System Access API an export is gathered as a Blob: every this many bytes the chunks
 * read so far become one Blob part, so the page holds at most this much of the file in its own memory
 * (Chromium keeps Blob data in the browser process and pages it to disk when it grows large).
 */
export const BLOB_PART_BYTES = 4 * 1024 * 1024;

/** Characters of a subject kept in a file name inside a zip (the whole name stays under 100). */
export const ZIP_NAME_SUBJECT_CHARS = 60;
