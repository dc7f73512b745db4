import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import type { FakeZalo } from '../zalo/fake-zalo.ts';

export interface SimulatorDeps {
  fake: FakeZalo;
  appId: string;
  oaSecretKey: string;
  oaId: string;
}

const PAGE = new URL('./public/index.html', import.meta.url);
const SCRIPT = new URL('./public/simulator.js', import.meta.url);

/** The demo chat page at /simulator and the small API it polls; mounted in demo mode only. */
export function createSimulatorRouter(deps: SimulatorDeps): Router {
  const router = express.Router();
  router.get('/simulator', (_req, res) => {
    res.type('html').send(readFileSync(PAGE, 'utf8'));
  });
  router.get('/simulator/simulator.js', (_req, res) => {
    res.type('application/javascript').send(readFileSync(SCRIPT, 'utf8'));
  });
  // Demo credentials only: in demo mode the "secret" is public by design, so the page can sign like Zalo does.
  router.get('/simulator/api/config', (_req, res) => {
    res.json({ appId: deps.appId, oaSecretKey: deps.oaSecretKey, oaId: deps.oaId });
  });
  router.get('/simulator/api/messages', (req, res) => {
    const userId = typeof req.query.userId === 'string' ? req.query.userId : '';
    const after = Number(req.query.after ?? 0) || 0;
    res.json({ messages: userId ? deps.fake.messagesFor(userId, after) : [] });
  });
  return router;
}
