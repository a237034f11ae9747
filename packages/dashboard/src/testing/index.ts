export { adminTokenOf, freePort, type RunningPlane, startControlPlane } from './control-plane.js';
export { EventReader, type StreamedEvent } from './events.js';
export { createScratchDatabase, type ScratchDatabase } from './postgres.js';
