/**
 * User settings for the throwaway profile both runners start VS Code with. They keep prompts and
 * network lookups out of the way, so screenshots show the extension and not a popup.
 */
import * as fs from 'fs';
import * as path from 'path';

const testUserSettings = {
  // The test workspace sits inside this repository; VS Code would offer to open the parent repo.
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  // The browser VS Code saves after a delay by default; tests edit files and must leave them as they were.
  'files.autoSave': 'off',
};

/** Writes the settings into a fresh user-data-dir (VS Code reads <dir>/User/settings.json). */
export function writeUserSettings(userDataDir: string): void {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(testUserSettings, null, 2));
}
