// The dedicated worker that starts the rounds' workers nested in it.
import { rounds } from './load-stall-rounds.js';
postMessage(await rounds(new URLSearchParams(self.location.search)));
