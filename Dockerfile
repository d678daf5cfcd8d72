# The image behind deploy/docker-compose.yml: `npm start` (the Slack app) and `npm run worker` (a worker) run
# from the same image; the compose file picks the command. Both run the compiled JavaScript in dist/.

# Build: every dependency (TypeScript included), `npm ci` runs `prepare`, which compiles src/ to dist/; then the
# development dependencies go.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# Run: the compiled app, its production dependencies (native builds included) and the company profile.
FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY data/axlewave_context ./data/axlewave_context

ENV NODE_ENV=production \
    DATA_DIR=/data \
    COMPANY_CONTEXT=/app/data/axlewave_context/company_context.json
EXPOSE 3000
CMD ["npm", "start"]
