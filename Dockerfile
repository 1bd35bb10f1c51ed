# crmsync: one image for every process (`serve`, `worker`, `migrate`, the other commands).
# Conventional multi-stage build; see docs/deployment.md ("Containers"). Not built in this
# project's CI: its machines have no Docker engine.

# Production dependencies only. better-sqlite3 compiles here, so this stage has the toolchain.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The web UI, built once into web/dist (vite and the React plugin are runtime dependencies).
FROM deps AS web
COPY tsconfig.json ./
COPY web ./web
COPY src ./src
RUN node --import tsx web/scripts/build.ts --force

# The runtime image: Node, the production node_modules, the sources (run through tsx, there is
# no compile step) and the built UI. No compiler, no dev dependencies, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY emulator ./emulator
COPY --from=web /app/web/dist ./web/dist
# /data holds the SQLite file and the generated key when no DATABASE_URL/CRMSYNC_SECRET is set.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness of the HTTP process; `crmsync worker` serves no HTTP, so compose turns it off there.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/crmsync.js"]
CMD ["serve"]
