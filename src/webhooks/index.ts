export { PROCESS_WEBHOOK_TASK, registerGitlabWebhooks, WEBHOOK_BODY_LIMIT } from './gitlab-ingress.ts';
