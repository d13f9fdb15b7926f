export { value } from './load-stall-b.js';
