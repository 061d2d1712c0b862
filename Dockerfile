# syntax=docker/dockerfile:1

# Task Force Hub: one image for every deployable.
#
#   docker build -t task-force-hub .
#
# The default command runs the hub (GraphQL and Socket.IO in one process). The same image runs the
# scaled-out deployables and the operator commands (see docker-compose.yml):
#   node dist/apps/api/src/main.js        GraphQL over HTTP and graphql-ws
#   node dist/apps/gateway/src/main.js    Socket.IO gateway
#   node dist/apps/cli/src/main.js migrate | seed
#
# The image sets NODE_ENV=production: JWT_SECRET is then required, and nothing is migrated
# implicitly. For a single hub on the embedded SQLite database, mount a volume on /app/data and
# pass MIGRATE_ON_START=true.

# Node 24 LTS (Node 20 left support on 2026-04-30; the code still runs on it, and CI runs both).
ARG NODE_IMAGE=node:24-bookworm-slim
ARG NGINX_IMAGE=nginx:1.27

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
# package-lock.json and package.json's `allowScripts` block are written by npm 11, which runs a
# dependency's install script only when `allowScripts` names it (argon2 and @swc/core need theirs).
# Pin the developers' npm rather than the one the Node image happens to ship.
ARG NPM_VERSION=11.19.1
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION} \
 && npm cache clean --force
WORKDIR /app

# ---------------------------------------------------------------------------------------------
FROM base AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY . .
# Nest's tsc builder compiles apps/ and libs/ (tsconfig.build.json) into dist/, and Vite the web
# client into dist/web; fail here, not at
# run time, if an entry point the image promises is missing.
RUN npm run build \
 && for app in hub api gateway cli; do \
      test -f "dist/apps/$app/src/main.js" || { echo "missing dist/apps/$app/src/main.js" >&2; exit 1; }; \
    done \
 && { test -f dist/web/index.html || { echo "missing dist/web/index.html (the web client)" >&2; exit 1; }; }

# ---------------------------------------------------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
# argon2's install script picks its prebuilt binary (linux x64 and arm64, glibc); no compiler needed.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
# The load balancer of the scaled deployment (docker-compose.yml, service `lb`): nginx serving the
# built web client; its configuration (deploy/nginx.conf) is mounted by compose.
FROM ${NGINX_IMAGE} AS lb
COPY --from=build /app/dist/web /usr/share/nginx/html

# ---------------------------------------------------------------------------------------------
# Last, so that a plain `docker build .` builds the hub's image.
FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The PDF minutes embed DejaVu Sans (ș and ț) from node_modules at run time: fail the build, not a download.
RUN node -e "require.resolve('pdfkit'); require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'); require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')"
# The code stays owned by root (read-only for the app); only the data folder (SQLite file, the
# generated demo password) is writable by the `node` user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "dist/apps/hub/src/main.js"]
