import { asTheme } from '../../tab/web/theme';

describe("the tab's theme", () => {
  it("follows Teams' default, dark and contrast themes; anything else is the light theme", () => {
    expect(['default', 'dark', 'contrast', 'unknown', undefined, null].map((t) => asTheme(t))).toEqual(['default', 'dark', 'contrast', 'default', 'default', 'default']);
  });
});
