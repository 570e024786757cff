# Deckhand container image. Three stages: production dependencies, the build,
# and a runtime with only what `deckhand serve` loads. test/runtime/layout.test.ts
# reproduces the runtime stage's file layout without a container engine; keep
# the two in step.
#
# For reproducible production builds, pin the base image by digest:
#   docker build --build-arg NODE_IMAGE=node:24-slim@sha256:<digest> .
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# npm and corepack are not needed at run time; removing them shrinks what an
# attacker could use inside a compromised container.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    && groupadd --gid 10001 deckhand \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin deckhand
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the server only reads them.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY bin ./bin
COPY --from=build /src/dist/server ./dist/server
COPY --from=build /src/dist/web ./dist/web
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["node", "bin/deckhand"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
