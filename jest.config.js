/** Unit and function tests. Browser and simulator tests run from e2e/ through their own runners. */
const common = {
  transform: { '^.+\\.[jt]sx?$': 'babel-jest' },
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/dist-h5/', '/dist-functions/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/src/domain/**/*.test.ts',
        '<rootDir>/cloudfunctions/**/*.test.ts',
        '<rootDir>/local/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: [
        '<rootDir>/src/components/**/*.test.tsx',
        '<rootDir>/src/pages/**/*.test.tsx',
        '<rootDir>/src/packages/**/*.test.tsx',
        '<rootDir>/src/stores/**/*.test.ts',
        '<rootDir>/src/cloud/**/*.test.ts',
      ],
      moduleNameMapper: {
        ...common.moduleNameMapper,
        '^@tarojs/components$': '<rootDir>/src/test-support/taro-components.tsx',
        '^@tarojs/taro$': '<rootDir>/src/test-support/taro.ts',
        '\\.(s?css)$': '<rootDir>/src/test-support/style-stub.js',
      },
    },
  ],
};
