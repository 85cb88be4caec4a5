// The messages between the app and its sanitizer frame (sanitizer.html, src/sanitizer/main.ts).

/** The frame's first message: its script ran and listens. */
export interface SanitizerReady {
  readonly kind: 'ready';
}

export interface SanitizeRequest {
  readonly id: number;
  readonly html: string;
  readonly allowRemote: boolean;
  /** Content-ID → data: URL of an inline image. */
  readonly inlineImages: ReadonlyArray<readonly [string, string]>;
  /** Folded search terms to mark in the text. */
  readonly highlight: readonly string[];
}

export type SanitizeResponse =
  | {
      readonly kind: 'sanitized';
      readonly id: number;
      readonly document: string;
      readonly blockedRemote: number;
    }
  | { readonly kind: 'failed'; readonly id: number; readonly error: string };

export type SanitizerMessage = SanitizerReady | SanitizeResponse;
