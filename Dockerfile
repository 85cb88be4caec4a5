# syntax=docker/dockerfile:1
# webpop's bridge with the web app inside, built from this repository:
#   docker build -t webpop-bridge .        (or: podman build -t webpop-bridge .)
#   docker compose up -d                   (compose.yaml: 127.0.0.1:8080, config read-only)
# NODE_IMAGE: any Debian-based Node.js image with npm (>= 20.19), e.g. node:22-bookworm-slim.
ARG NODE_IMAGE=docker.io/library/node:22-bookworm-slim

# --- build: the bridge and the web app compiled, packed as npm would publish them ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Only what the bridge, its wire protocol and the web app need (.dockerignore keeps builds and
# node_modules of the build context out). Every workspace package the web app imports that has
# dependencies of its own must be in the install's filters (@webpop/smtp imports @webpop/pop3).
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json .npmrc ./
COPY packages packages
COPY apps/web apps/web
COPY apps/bridge apps/bridge
RUN --mount=type=cache,id=webpop-pnpm-store,target=/root/.local/share/pnpm/store \
    npx -y pnpm@10 install --frozen-lockfile --ignore-scripts \
      --filter @webpop/bridge --filter @webpop/wire --filter @webpop/pop3 --filter @webpop/smtp --filter @webpop/web --filter webpop-workspace
# Each prepack builds its package (the bridge's also builds the web app into its web/).
RUN npx -y pnpm@10 --filter @webpop/wire --filter @webpop/bridge pack --pack-destination /packs
# A plain npm install of the tarballs, production dependencies only: the same files a user of
# `npm install @webpop/bridge` runs. The optional bufferutil (ws's native masking) loads its prebuilt
# binary on linux-x64; where none fits and the slim image has no compiler, npm leaves it out and
# ws masks in JavaScript.
WORKDIR /opt/webpop
RUN echo '{"name":"webpop-bridge-image","private":true}' > package.json \
 && npm install --omit=dev --no-audit --no-fund --loglevel=error /packs/*.tgz

# --- runtime: Node, tini and the installed bridge, nothing else ---------------------------------
FROM ${NODE_IMAGE}
# tini as PID 1: forwards SIGTERM/SIGHUP to the bridge (whose drain needs them) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin webpop \
 && mkdir -p /etc/webpop
COPY --from=build /opt/webpop /opt/webpop
COPY apps/bridge/container/bridge.json /etc/webpop/bridge.json
ENV NODE_ENV=production \
    PATH=/opt/webpop/node_modules/.bin:$PATH \
    WEBPOP_CONFIG=/etc/webpop/bridge.json \
    WEBPOP_LISTEN_HOST=0.0.0.0 \
    WEBPOP_LISTEN_PORT=8080
USER webpop
EXPOSE 8080
# The bridge's own client: no curl in the image. 503 while draining makes the container unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=10s --retries=3 \
  CMD ["webpop-bridge", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "webpop-bridge"]
CMD []
