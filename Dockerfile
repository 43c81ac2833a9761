# Visitpay for production: one Node process per container, PostgreSQL outside (DATABASE_URL).
# Run one container per core behind a load balancer; background jobs coordinate through the database.

# Build stage (O4): every dependency, the build tools among them, builds the admin app (web/dist)
# and the server bundle (dist/server). Nothing of it but the built files reaches the image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# Runtime stage: the runtime dependencies (npm ci --omit=dev) and the built files, run as `node`.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    VISITPAY_DATA_DIR=/app/data
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# the options of `npm start` (package.json): a small young generation and a 128 MB old one keep memory low under load
CMD ["node", "--enable-source-maps", "--max-semi-space-size=4", "--max-old-space-size=128", "dist/server/main.js"]
