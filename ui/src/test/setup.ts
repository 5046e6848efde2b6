import "@testing-library/jest-dom/vitest";
import "../i18n";

// cmdk and Radix's popovers measure and scroll; jsdom does neither.
Element.prototype.scrollIntoView ??= () => {};
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
