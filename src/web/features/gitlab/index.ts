export { IntegrationPage } from './integration-page.tsx';
export { GitlabProjectPicker } from './project-picker.tsx';
export { GitlabIssuesButton } from './gitlab-issues-button.tsx';
export { useAddInstance, useDeleteInstance, useInstances } from './use-gitlab.ts';
export { useScanProject } from './use-gitlab.ts';
export { GitlabErrorAlert, describeGitlabError } from './gitlab-error-alert.tsx';
export { okText } from './default-project.tsx';
export { initialsOf, safeAvatar } from './instance-label.ts';
export { useTargetGitlab } from './use-gitlab.ts';
