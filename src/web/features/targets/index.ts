export { TargetsPage } from './targets-page.tsx';
export { TargetPage } from './target-page.tsx';
