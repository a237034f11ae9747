export { type NodeGroup, type NodeGroupOptions, startNodeGroup } from './group.js';
export { whenParentExits } from './parent.js';
export { DASHBOARD_DIR, NEXT_BIN } from './paths.js';
