import { decodeTextDetailed } from '@webpop/pop3/mail';

const NativeTextDecoder = globalThis.TextDecoder;

/**
 * A TextDecoder whose decode() follows the engine's chain: the declared charset, then strict UTF-8,
 * then windows-1252. The MIME worker installs it as the global
 * TextDecoder before postal-mime loads, so every body and header postal-mime decodes gets the same
 * fallbacks (postal-mime on its own decodes undeclared bytes as UTF-8 with U+FFFD replacements).
 * Construction still throws for labels the runtime does not know, as postal-mime's alias logic expects.
 */
export class FallbackTextDecoder implements TextDecoder {
  private readonly native: TextDecoder;
  constructor(label = 'utf-8', options: TextDecoderOptions = {}) {
    this.native = new NativeTextDecoder(label, options);
  }
  get encoding(): string {
    return this.native.encoding;
  }
  get fatal(): boolean {
    return this.native.fatal;
  }
  get ignoreBOM(): boolean {
    return this.native.ignoreBOM;
  }
  decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
    if (input === undefined) return this.native.decode(input, options);
    if (options?.stream || this.native.fatal) return this.native.decode(input, options);
    const bytes =
      input instanceof Uint8Array
        ? input
        : ArrayBuffer.isView(input)
          ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
          : new Uint8Array(input);
    return decodeTextDetailed(bytes, this.native.encoding, { ignoreBOM: this.native.ignoreBOM }).text;
  }
}

/** Replaces the global TextDecoder with FallbackTextDecoder (for the MIME worker). */
export function installFallbackTextDecoder(): void {
  if ((globalThis.TextDecoder as unknown) !== FallbackTextDecoder) {
    (globalThis as { TextDecoder: unknown }).TextDecoder = FallbackTextDecoder;
  }
}
