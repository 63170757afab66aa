export { IntegrationPage } from './integration-page.tsx';
export { GitlabProjectPicker } from './project-picker.tsx';
export { GitlabIssuesButton } from './gitlab-issues-button.tsx';
export { useAddInstance, useDeleteInstance, useInstances } from './use-gitlab.ts';
