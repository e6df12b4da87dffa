import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `pnpm dev` talks to a server started separately (`pnpm start`, default port 3000).
const apiTarget = process.env.PODLAUNCH_DEV_API ?? 'http://127.0.0.1:3000'

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the server mounts the app under any basePath and writes a <base> for it.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The server serves dist/ as is; source maps would only add weight to it.
    sourcemap: false,
  },
  server: {
    proxy: {
      '/trpc': { target: apiTarget, changeOrigin: true },
      '/v1': { target: apiTarget, changeOrigin: true },
    },
  },
})
