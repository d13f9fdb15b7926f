// The Worker Pool Playground page: the playground mounted into the body, its
// settings kept in the address bar. index.html loads coi-serviceworker first,
// so that a host that sends no COOP/COEP headers still gets isolation.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { mountPlayground } from './app';

document.getElementById('boot-message')?.remove();
const mounted = mountPlayground(document.body, { syncUrl: true });

// For the end-to-end tests and the curious: the current settings.
Object.defineProperty(window, 'playgroundPage', { value: { get settings() { return mounted.settings; }, get busy() { return mounted.busy; } } });
