import React, { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiClient, ViewHelpers, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H3, Text } from '@adminjs/design-system';

const api = new ApiClient();
const h = new ViewHelpers();

/** Shows what the alert says and acknowledges it with a POST (never on a GET). */
const AcknowledgeAlert: React.FC<ActionProps> = ({ record, resource }) => {
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const navigate = useNavigate();
  if (!record) return null;
  const p = record.params;
  const acknowledge = async () => {
    setBusy(true);
    try {
      await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: 'acknowledge', method: 'post', data: {} });
      addNotice({ message: 'Alert acknowledged', type: 'success' });
      navigate(h.resourceUrl({ resourceId: resource.id }));
    } catch (error) {
      addNotice({ message: `Could not acknowledge: ${(error as Error).message}`, type: 'error' });
      setBusy(false);
    }
  };
  return (
    <Box variant="white" p="xl" data-testid="acknowledge-alert">
      <H3>{p.ruleName}</H3>
      <Text mb="lg">
        {p.metric} over {p.window === 'period' ? 'the current period' : `the last ${p.window}`} ({p.scopeText}): <strong>{Number(p.value)}</strong> above the threshold{' '}
        <strong>{Number(p.threshold)}</strong>, at {new Date(String(p.triggeredAt)).toISOString().replace('T', ' ').slice(0, 19)} UTC.
      </Text>
      {p.acknowledgedAt ? (
        <Text>Acknowledged by {p.acknowledgedBy}.</Text>
      ) : (
        <Button variant="contained" onClick={acknowledge} disabled={busy} data-testid="acknowledge-button">
          Acknowledge
        </Button>
      )}
    </Box>
  );
};

export default AcknowledgeAlert;
