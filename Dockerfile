# syntax=docker/dockerfile:1.7
#
# Person Graph container image. Stages:
#   deps        every dependency (dev included), for building and for the development tools image
#   build       compiles TypeScript to dist/ (the gateway, and the heartbeat/certificate CLIs when present)
#   prod-deps   production dependencies only (npm ci --omit=dev)
#   tools       development image for docker compose: simulators and development certificates (not for production)
#   runtime     the production image: node, dist/, production node_modules, schema/, the policy JSON Schema -- nothing else
#
# Build:  docker build -t person-graph .
# Run:    see docker-compose.yml (development) and k8s/ (environments).
# The base is the Node.js LTS line 24 (supported until April 2028); bump NODE_VERSION to the next LTS line
# when it is released. tests/delivery/container.test.ts fails once the line chosen here is past its end of life.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The gateway (tsconfig.build.json: src/ -> dist/src/), then the operational CLIs the CronJobs run from
# this same image (scripts/heartbeat.ts, scripts/certs.ts -> dist/scripts/).
RUN npm run build \
 && clis="scripts/heartbeat.ts scripts/certs.ts" \
 && if [ -n "$clis" ]; then npx tsc --outDir dist --rootDir . --module NodeNext --moduleResolution NodeNext \
      --target ES2022 --strict --skipLibCheck --esModuleInterop --resolveJsonModule --types node $clis; fi

FROM node:${NODE_VERSION}-trixie-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Development tools image (docker compose only): the upstream simulators run from TypeScript through tsx,
# and the certificate service makes development certificates with the openssl CLI.
FROM deps AS tools
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*
COPY tsconfig.json ./
COPY simulators ./simulators
COPY scripts ./scripts
ENV NODE_ENV=development
CMD ["node", "--import", "tsx", "simulators/main.ts", "--host", "0.0.0.0", "--port-base", "9100"]

FROM node:${NODE_VERSION}-trixie-slim AS runtime
LABEL org.opencontainers.image.title="person-graph" \
      org.opencontainers.image.description="GraphQL gateway over prison and probation person data" \
      org.opencontainers.image.licenses="MIT"
# NODE_OPTIONS: the same heap limit as the Kubernetes deployment (below its 512Mi limit). V8 sizes its
# heap growth by the limit: without it a 24 GiB host lets the heap grow to twice the RSS under load.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=384 \
    TZ=UTC \
    CONSUMER_PORT=8443 \
    MANAGEMENT_PORT=9090
WORKDIR /app
# A fixed numeric user (not root, not the image's uid 1000 "node") so that Kubernetes can verify
# runAsNonRoot against the image. The application files stay owned by root: the process cannot change them.
RUN groupadd --system --gid 10001 persongraph \
 && useradd --system --uid 10001 --gid persongraph --no-create-home --shell /usr/sbin/nologin persongraph
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schema ./schema
# The policy file's JSON Schema (the gateway checks every policy with it: src/auth/policy-schema.ts), not a policy.
COPY policy/policy.schema.json ./policy/policy.schema.json
# No policy file is baked in: POLICY_FILE must point at a mounted policy (ConfigMap / compose volume), so an
# image started without one fails fast instead of running with the development policy.
USER 10001:10001
EXPOSE 8443 9090
# Liveness of the management listener; it never depends on upstreams. No curl in the slim image: node's fetch.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.MANAGEMENT_PORT||9090)+'/health/liveness').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 (not npm): SIGTERM reaches the gateway, which drains within SHUTDOWN_TIMEOUT_MS.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
