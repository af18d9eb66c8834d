// Everything the client and the server agree on besides standard LSP, in one place.

/** The configuration section the server reads (`prodready.*` in settings.json). */
export const CONFIG_SECTION = 'prodready';

/** Language ids whose documents the server analyses; detection then decides per file. */
export const DOCUMENT_LANGUAGES = ['yaml', 'dockercompose', 'helm', 'nginx', 'haproxy'] as const;

/** Diagnostic `source`. */
export const DIAGNOSTIC_SOURCE = 'prodready';
