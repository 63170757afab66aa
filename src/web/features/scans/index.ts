export { ScansPage } from './scans-page.tsx';
