// Imported first by the parser so postal-mime's module-level decoders are created with the fallbacks.
import { installFallbackTextDecoder } from './charset.js';

installFallbackTextDecoder();
