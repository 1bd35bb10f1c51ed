// The web UI's build. It lives in web/ with its own root so the server tree never leaks into
// the bundle; `npm run dev:web` proxies the API to a running crmsync.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env["CRMSYNC_URL"] ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Mantine and recharts are large; one vendor chunk keeps the app chunk small and cacheable.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/api": apiTarget,
      "/docs": apiTarget,
    },
  },
});
