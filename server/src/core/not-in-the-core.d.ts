// What `vscode`, `vscode-languageserver*` and `vscode-languageclient` resolve to inside the core (see
// tsconfig.json's paths): nothing. The core stays free of editor and protocol code, so an import of
// theirs fails to compile here rather than waiting for a review to notice.
export {};
