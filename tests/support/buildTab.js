// jest globalSetup: builds the tab's page (tab/dist) so the browser tests drive what `npm start` serves.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'tab', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
};
