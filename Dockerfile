# Visitpay for production: one Node process per container, PostgreSQL outside (DATABASE_URL).
# Run one container per core behind a load balancer; background jobs coordinate through the database.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    VISITPAY_DATA_DIR=/app/data
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
RUN npm run build
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# the options of `npm start` (package.json): a small young generation and a 128 MB old one keep memory low under load
CMD ["node", "--enable-source-maps", "--max-semi-space-size=4", "--max-old-space-size=128", "dist/server/main.js"]
