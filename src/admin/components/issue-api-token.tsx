import React, { useState } from 'react';
import { ApiClient, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, Input, Label, MessageBox, Text } from '@adminjs/design-system';

const api = new ApiClient();

/** On a user's page: issues an API bearer token and shows it once, for the admin to copy. */
export default function IssueApiToken({ resource, action, record }: ActionProps) {
  const [name, setName] = useState('panel');
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const issue = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: String(record!.id), actionName: action.name, method: 'post', data: { name } });
      const issued = response.data.token as string | undefined;
      if (issued) setToken(issued);
      else setError(response.data.notice?.message ?? 'No token was issued');
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={issue}>
      <Text mb="lg">A bearer token for the JSON API, acting as {record?.title}. It is stored hashed: copy it now, it is not shown again.</Text>
      <FormGroup>
        <Label>Token name</Label>
        <Input value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
      </FormGroup>
      <Button type="submit" variant="contained" disabled={busy || Boolean(token)}>Issue token</Button>
      {error ? <MessageBox mt="lg" variant="danger" message={error} /> : null}
      {token ? (
        <Box mt="lg" p="lg" style={{ background: '#f3f4f6', borderRadius: 6 }}>
          <Text data-testid="issued-api-token" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{token}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
