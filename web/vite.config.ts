// The web UI's build. It lives in web/ with its own root so the server tree never leaks into
// the bundle; `npm run dev:web` proxies the API to a running crmsync.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env["CRMSYNC_URL"] ?? "http://127.0.0.1:3000";

const vendorPackages =
  /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser|@tanstack|@mantine[\\/](core|hooks|modals|notifications)|@floating-ui|@tabler|clsx|react-remove-scroll[^\\/]*|react-style-singleton|use-callback-ref|use-sidecar|tslib|get-nonce|detect-node-es|react-number-format|react-textarea-autosize)[\\/]/;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Mantine's core (vendor) is the largest chunk, ~720 kB before gzip; a warning should mean more than that.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // What every screen needs (React, the router, queries, Mantine's core) in one
            // cacheable chunk; the screens arrive as their own small chunks, and the charting
            // library only with Insights.
            { name: "vendor", test: vendorPackages, priority: 2 },
            // The app's shared modules (API hooks, formatting, small components) in one chunk
            // instead of dozens of tiny ones.
            { name: "shared", test: /web[\\/]src[\\/](api|components|layout)[\\/]/, minShareCount: 2, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": apiTarget,
      "/docs": apiTarget,
    },
  },
});
