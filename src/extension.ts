// Activation wiring of the VS Code extension. The commands, views and status bar arrive with the
// extension issue; the engine in src/balancer is ready for them.
export function activate(): void {}

export function deactivate(): void {}
