self.onmessage = async () => {
  postMessage('got-start');
  const { value } = await import('./load-stall-a.js');
  postMessage(value === 42 ? 'loaded' : 'wrong module');
  self.close();
};
