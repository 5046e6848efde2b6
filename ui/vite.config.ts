import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri window loads ui/dist (release) or this dev server (tauri dev).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
