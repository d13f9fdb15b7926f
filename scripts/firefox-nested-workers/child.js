self.onmessage = () => {
  postMessage('started');
  self.close();
};
