import { createContext, useContext } from 'react';
import { sanitizeInPage, type SanitizeHtml } from '../../mime/sanitizer-client.js';

/** Where the reader sanitizes HTML: main.tsx gives the sanitizer frame; without a provider, the page. */
export const SanitizerContext = createContext<SanitizeHtml>(sanitizeInPage);

export const useSanitizer = (): SanitizeHtml => useContext(SanitizerContext);
