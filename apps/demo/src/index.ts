export { startWebmailDemo, type RunningWebmailDemo, type WebmailDemoOptions } from './webmail-demo.js';
