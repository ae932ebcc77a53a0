/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  // Transpile only: `npm test` type-checks the whole project with tsc first. (ts-jest 29.4 reads this from
  // the compiler options; set here, over tsconfig.json, so that tsc's own check is unchanged.)
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }] },
  moduleNameMapper: { '^adaptivecards$': '<rootDir>/node_modules/adaptivecards/dist/adaptivecards.js' },
  // Builds tab/dist for the browser tests (tests/browser).
  globalSetup: '<rootDir>/tests/support/buildTab.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
