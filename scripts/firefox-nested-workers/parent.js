// Constructs n nested module workers in a row, saying so before and after
// each constructor, with a heartbeat that stops if this worker blocks.
const n = Number(new URLSearchParams(self.location.search).get('n') ?? 60);
setInterval(() => postMessage('alive'), 250);
setTimeout(() => {
  for (let i = 0; i < n; i++) {
    postMessage(`before ${i}`);
    const child = new Worker('./child.js', { type: 'module' });
    postMessage(`after ${i}`);
    child.onmessage = (e) => postMessage(`child ${i} ${e.data}`);
    child.postMessage('start');
  }
}, 300);
