import { value } from './load-stall-a.js';
self.onmessage = () => {
  postMessage(value === 42 ? 'loaded' : 'wrong module');
  self.close();
};
