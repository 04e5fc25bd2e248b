// The one place user-facing strings are translated. Activation plugs in `vscode.l10n.t`; until then
// (and in unit tests, which run without VS Code) `{0}`-style placeholders are filled in as they are.
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

let translate: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (placeholder, index: string) => (index in args ? String(args[Number(index)]) : placeholder));

export function t(message: string, ...args: Array<string | number | boolean>): string {
  return translate(message, ...args);
}

export function useTranslator(translator: Translate): void {
  translate = translator;
}
