# One image recipe for every service. Pick the service with the build argument SERVICE, the package's
# folder in the workspace: gateway, services/waiter or services/kitchen.
#   docker build --build-arg SERVICE=services/kitchen -t restaurant-kitchen .
# Node 22 rather than 20: 20 is past its end of life, and every pinned package also runs on 22.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN npm install -g pnpm@10.34.9
WORKDIR /repo
# NODE_ENV stays unset here: under production pnpm would skip the devDependencies, TypeScript among them.
# `pnpm fetch` reads only the lockfile, so this layer, the slow one, is rebuilt only when the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch --frozen-lockfile
COPY . .
RUN pnpm install --offline --frozen-lockfile

ARG SERVICE
RUN case "${SERVICE}" in gateway|services/*) ;; *) false ;; esac && test -f "${SERVICE}/package.json" \
  || { echo "SERVICE must be a package folder: gateway, services/waiter or services/kitchen" >&2; exit 1; }
# Builds the service and, through its project references, @restaurant/contracts and @restaurant/platform.
RUN pnpm exec tsc -b "${SERVICE}"
# pnpm 10 deploys, by default, only from workspaces with inject-workspace-packages=true. Setting it here
# alone would not match the lockfile (written without it) and --frozen-lockfile would refuse to install;
# turning it on for the whole workspace means relocking and changes how every workspace package links.
# --legacy keeps pnpm 9's deploy: it still resolves from the workspace lockfile, copies the service's
# files (dist included: the package has no "files" field nor .npmignore) and its production dependencies,
# and copies @restaurant/contracts and @restaurant/platform into node_modules instead of linking to it.
RUN pnpm deploy --legacy --offline --prod --filter "./${SERVICE}" /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
# The code stays owned by root, so the app cannot rewrite itself; only ./data, the default DATA_DIR of
# the kitchen's embedded store, belongs to the user the app runs as.
COPY --from=build /out ./
RUN mkdir data && chown node:node data
USER node
# PORT and INTERNAL_PORT have no default here because each service has its own; compose sets them
# (`docker run -e PORT=... -e INTERNAL_PORT=...`). Probes are served on INTERNAL_PORT only.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.INTERNAL_PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
