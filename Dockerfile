# The image behind deploy/docker-compose.yml: `npm start` (the Slack app) and `npm run worker` (a worker) run
# from the same image; the compose file picks the command.
FROM node:20-bookworm-slim

WORKDIR /app
# sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY tsconfig.json ./
COPY src ./src
COPY data/axlewave_context ./data/axlewave_context

ENV NODE_ENV=production \
    DATA_DIR=/data \
    COMPANY_CONTEXT=/app/data/axlewave_context/company_context.json
EXPOSE 3000
CMD ["npm", "start"]
