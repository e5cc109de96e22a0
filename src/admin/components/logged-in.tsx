import React from 'react';
import { useTranslation, type CurrentAdmin } from 'adminjs';
import { Box, CurrentUserNav } from '@adminjs/design-system';

interface LoggedInProps {
  session: CurrentAdmin;
  paths: { logoutPath: string };
}

/** Logout by POST (the panel refuses state changes by GET): a form posted from the panel's own page. */
function logOut(logoutPath: string): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = logoutPath;
  document.body.appendChild(form);
  form.submit();
}

/** AdminJS's user menu in the top bar, with a logout that posts instead of following a link. */
export default function LoggedIn({ session, paths }: LoggedInProps) {
  const { translateButton } = useTranslation();
  const dropActions = [
    {
      label: translateButton('logout'),
      icon: 'LogOut',
      onClick: (event: React.MouseEvent) => {
        event.preventDefault();
        logOut(paths.logoutPath);
      },
    },
  ];
  return (
    <Box flexShrink={0} data-css="logged-in">
      <CurrentUserNav name={session.email} title={session.title} avatarUrl={session.avatarUrl} dropActions={dropActions} />
    </Box>
  );
}
