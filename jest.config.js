/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  // Transpile only: `npm test` type-checks the whole project with tsc first.
  transform: { '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleNameMapper: { '^adaptivecards$': '<rootDir>/node_modules/adaptivecards/dist/adaptivecards.js' },
  // Builds tab/dist for the browser tests (tests/browser).
  globalSetup: '<rootDir>/tests/support/buildTab.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
