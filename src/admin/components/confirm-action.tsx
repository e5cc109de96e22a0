import React, { useState } from 'react';
import { ApiClient, useActionResponseHandler, ViewHelpers, type ActionProps } from 'adminjs';
import { Box, Button, MessageBox, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';

const api = new ApiClient();
const h = new ViewHelpers();

/**
 * The page of a record action that changes something (revoke, regenerate): opening it (a GET)
 * only asks; the button sends the POST that acts.
 */
export default function ConfirmAction({ resource, action, record }: ActionProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const handleResponse = useActionResponseHandler();
  const navigate = useNavigate();
  const label = action.label.charAt(0).toUpperCase() + action.label.slice(1);
  const showUrl = h.recordActionUrl({ resourceId: resource.id, recordId: String(record?.id), actionName: 'show' });

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: String(record!.id), actionName: action.name, method: 'post', data: {} });
      handleResponse(response);
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  };

  return (
    <Box variant="white" data-testid="confirm-action">
      <Text mb="xl">{action.custom?.confirm ?? `Run ${action.label} on ${record?.title}?`}</Text>
      <Box flex flexDirection="row" style={{ gap: 12, flexWrap: 'wrap' }}>
        <Button variant="contained" color={action.variant === 'danger' ? 'danger' : 'primary'} onClick={confirm} disabled={busy} data-testid="confirm-action-button">
          {label}
        </Button>
        <Button variant="outlined" onClick={() => navigate(showUrl)} disabled={busy}>
          Cancel
        </Button>
      </Box>
      {error ? <MessageBox mt="lg" variant="danger" message={error} /> : null}
    </Box>
  );
}
