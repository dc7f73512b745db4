import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import type { FakeZalo } from '../zalo/fake-zalo.ts';
import { isSimulatorUser } from './demo-credentials.ts';

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
  // The page signs like Zalo does, so it gets the key: a random one made for this run of the demo, never a real one.
  router.get('/simulator/api/config', (_req, res) => {
    res.json({ appId: deps.appId, oaSecretKey: deps.oaSecretKey, oaId: deps.oaId });
  });
  // Only the simulator's own conversations: a demo run on a database that once served real citizens must not show
  // what was sent to them (petition answers, broadcasts) to whoever asks for their id.
  router.get('/simulator/api/messages', (req, res) => {
    const userId = typeof req.query.userId === 'string' ? req.query.userId : '';
    if (!isSimulatorUser(userId)) {
      res.status(404).json({ error: 'not a simulator user' });
      return;
    }
    const after = Number(req.query.after ?? 0) || 0;
    res.json({ messages: deps.fake.messagesFor(userId, after) });
  });
  return router;
}
